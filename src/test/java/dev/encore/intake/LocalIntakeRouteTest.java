package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreConfiguration;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.Zips;
import dev.encore.store.RunStatus;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The local-inbox flow, running the YAML routes of routes/ in Camel Main: files dropped into
 * the inbox land in the database once and move to processed/ or rejected/ with a reason.
 */
class LocalIntakeRouteTest extends CamelMainTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    // Camel asks for the properties from its constructor, before field initialisers run
    private Path inbox;
    private TestDatabase db;

    private void prepare() {
        if (inbox == null) {
            inbox = tempDir("inbox");
            db = TestDatabases.h2();
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(EncoreConfiguration.class);
        configuration.withRoutesIncludePattern("file:routes/*.camel.yaml");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        prepare();
        Properties p = new Properties();
        p.put("encore.db.url", db.url());
        p.put("encore.inbox.dir", inbox.toString());
        p.put("encore.inbox.poll-interval-ms", "200");
        p.put("encore.inbox.settle-ms", "500");
        p.put("encore.default-user", "owner");
        p.put("camel.management.enabled", "false");
        p.put("camel.server.port", Integer.toString(dev.encore.EncoreApp.freePort()));
        return p;
    }

    @Test
    void goodFilesLoadOnceAndBadFilesAreQuarantinedWithAReason() throws Exception {
        Path history = Samples.file("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json");
        long records = Samples.distinctExtendedPlays(history);
        Files.createDirectories(inbox.resolve("zul"));
        Files.copy(history, inbox.resolve("zul/Streaming_History_Audio_2024-2025.json"));
        Zips.spotifyLike("efrrowini", "Streaming_History_Audio_2022.json").writeTo(inbox.resolve("my_spotify_data.zip"));
        Files.writeString(inbox.resolve("ReadMeFirst.pdf"), "%PDF-1.4 binary stuff");
        Files.writeString(inbox.resolve("empty.json"), "");
        Files.writeString(inbox.resolve("zul/Streaming_History_Audio_2025.json"), "[{\"ts\":\"2025-01-01T00:00:00Z\",");

        awaitFile("processed/zul/Streaming_History_Audio_2024-2025.json");
        awaitFile("processed/my_spotify_data.zip");
        awaitFile("rejected/ReadMeFirst.pdf.reason.txt");
        awaitFile("rejected/empty.json.reason.txt");
        awaitFile("rejected/zul/Streaming_History_Audio_2025.json.reason.txt");

        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'")).isEqualTo(records);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'owner'"))
                .isEqualTo(Samples.distinctExtendedPlays(Samples.file("efrrowini", "Streaming_History_Audio_2022.json")));
        assertThat(Files.readString(inbox.resolve("rejected/ReadMeFirst.pdf.reason.txt")))
                .contains("ReadMeFirst.pdf").contains("is not valid JSON");
        assertThat(Files.readString(inbox.resolve("rejected/empty.json.reason.txt"))).contains("empty.json is empty");
        assertThat(Files.readString(inbox.resolve("rejected/zul/Streaming_History_Audio_2025.json.reason.txt")))
                .contains("truncated");
        assertThat(inbox.resolve("rejected/ReadMeFirst.pdf")).exists();
        assertThat(inbox.resolve("ReadMeFirst.pdf")).doesNotExist();

        // the same file uploaded again is taken again, and adds nothing
        Files.copy(history, inbox.resolve("zul/again.json"));
        awaitFile("processed/zul/again.json");
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'")).isEqualTo(records);
        assertThat(db.count("SELECT records_inserted FROM import_run WHERE source_path = 'zul/again.json'")).isZero();
    }

    @Test
    void everyKindOfBadFileIsQuarantinedWithItsReasonWhileTheOthersLoad() throws Exception {
        Path good = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        String goodJson = Files.readString(good);
        String firstRecord = goodJson.substring(goodJson.indexOf('{'), goodJson.indexOf('}') + 1);
        Files.createDirectories(inbox.resolve("bad"));
        Files.writeString(inbox.resolve("bad/empty-array.json"), "[]");
        Files.writeString(inbox.resolve("bad/object.json"), firstRecord);
        Files.writeString(inbox.resolve("bad/numbers.json"), "[1, 2, 3]");
        Zips.builder().add("../../escape.json", good).writeTo(inbox.resolve("bad/traversal.zip"));
        Zips.builder().add("Streaming_History_Audio_2024.json", new byte[64 << 20]).writeTo(inbox.resolve("bad/bomb.zip"));
        // and the ones that load: a BOM, and a 10 MB value that costs only its record
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(inbox.resolve("bad/bom.json"), concat(bom, Files.readAllBytes(good)));
        Files.writeString(inbox.resolve("bad/huge-value.json"), goodJson.replaceFirst(
                "\"master_metadata_track_name\":\\s*\"[^\"]*\"", "\"master_metadata_track_name\": \"" + "x".repeat(10 << 20) + "\""));

        Map<String, String> expected = Map.of(
                "empty-array.json", "holds an empty JSON array",
                "object.json", "single JSON object where a JSON array",
                "numbers.json", "is an array of numbers",
                "traversal.zip", "leaves the archive",
                "bomb.zip", "ZIP bomb");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            awaitFile("rejected/bad/" + e.getKey() + ".reason.txt");
            assertThat(Files.readString(inbox.resolve("rejected/bad/" + e.getKey() + ".reason.txt")))
                    .as(e.getKey()).contains(e.getKey()).contains(e.getValue());
            assertThat(inbox.resolve("rejected/bad/" + e.getKey())).exists();
        }
        awaitFile("processed/bad/bom.json");
        awaitFile("processed/bad/huge-value.json");
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'bad'")).isEqualTo(Samples.distinctExtendedPlays(good));
        assertThat(db.count("SELECT records_rejected FROM import_run WHERE source_path = 'bad/huge-value.json'")).isEqualTo(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aFolderThatIsNoValidUserNameIsRefusedRatherThanGivenToTheDefaultUser() throws Exception {
        Files.createDirectories(inbox.resolve("John Smith"));
        Files.copy(Samples.file("efrrowini", "Streaming_History_Video_2023.json"), inbox.resolve("John Smith/v.json"));

        awaitFile("rejected/John Smith/v.json.reason.txt");

        assertThat(Files.readString(inbox.resolve("rejected/John Smith/v.json.reason.txt")))
                .contains("'John Smith' is not a valid user name");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
    }

    @Test
    void theSameFileDroppedInAgainIsLookedAtAgain() throws Exception {
        Path file = inbox.resolve("erin/Streaming_History_Video_2026.json");
        Files.createDirectories(file.getParent());
        Files.copy(Samples.file("efrrowini", "Streaming_History_Video_2026.json"), file);
        awaitFile("processed/erin/Streaming_History_Video_2026.json");

        // moved back unchanged: same name, size and modification time
        Files.move(inbox.resolve("processed/erin/Streaming_History_Video_2026.json"), file);
        dev.encore.EncoreApp.await("the second import", Duration.ofSeconds(30), () -> db.count(
                "SELECT COUNT(*) FROM import_run WHERE source_path = 'erin/Streaming_History_Video_2026.json' AND status = ?",
                RunStatus.LOADED.dbValue()) == 2);

        assertThat(db.count("SELECT records_inserted FROM import_run WHERE source_path = 'erin/Streaming_History_Video_2026.json' "
                + "ORDER BY import_run_id DESC FETCH FIRST 1 ROWS ONLY")).isZero();
    }

    @Test
    void aFileStillBeingWrittenIsNotTakenHalfWay() throws Exception {
        byte[] content = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"));
        long records = Samples.distinctExtendedPlays(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"));
        Path target = inbox.resolve("slow/Streaming_History_Audio_2023.json");
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            // Camel's read lock watches the size on the wall clock, which no test clock reaches: a
            // write every 100 ms (a fifth of encore.inbox.settle-ms) keeps it changing on a busy machine too
            int chunk = content.length / 20;
            for (int i = 0; i < content.length; i += chunk) {
                out.write(content, i, Math.min(chunk, content.length - i));
                out.flush();
                Thread.sleep(100);
            }
        }
        awaitFile("processed/slow/Streaming_History_Audio_2023.json");
        assertThat(inbox.resolve("rejected")).doesNotExist();
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'slow'")).isEqualTo(records);
    }

    private void awaitFile(String relative) throws InterruptedException {
        dev.encore.EncoreApp.await(relative, Duration.ofSeconds(30), () -> Files.exists(inbox.resolve(relative)));
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
