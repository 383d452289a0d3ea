package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.Zips;
import dev.encore.store.RunStatus;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local-inbox flow, in the app as `encore serve` runs it (routes/, application.properties): files dropped into
 * the inbox land in the database once and move to processed/ or rejected/ with a reason.
 */
class LocalIntakeRouteTest {
    /** How long to wait for the app before calling it a failure; only a failing test waits this long. */
    private static final Duration WAIT = Duration.ofMinutes(2);
    private Path inbox;
    private Path staging;
    private TestDatabase db;
    private EncoreApp app;

    @BeforeEach
    void start() throws Exception {
        inbox = Files.createTempDirectory("inbox");
        staging = Files.createTempDirectory("staging");
        db = TestDatabases.h2();
        app = serve("500");
    }

    @AfterEach
    void stop() {
        app.close();
        db.close();
    }

    /** The app with its inbox polled every 200 ms, a file taken once its size held still for {@code settleMs}. */
    private EncoreApp serve(String settleMs) throws Exception {
        return EncoreApp.start(db.url(), db.user(), Map.of("encore.inbox.dir", inbox.toString(),
                "encore.inbox.poll-interval-ms", "200", "encore.inbox.settle-ms", settleMs,
                "encore.default-user", "owner", "encore.enrich.scheduled", "false"));
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path file) throws Exception;
    }

    /**
     * Puts a file into the inbox whole: written beside it, then renamed in, as a careful upload
     * does, so the read lock's wall-clock settle time is no race on a busy machine.
     */
    private void drop(String relative, Writer writer) throws Exception {
        Path staged = staging.resolve(relative);
        Files.createDirectories(staged.getParent());
        writer.write(staged);
        Path target = inbox.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.move(staged, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void goodFilesLoadOnceAndBadFilesAreQuarantinedWithAReason() throws Exception {
        Path history = Samples.file("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json");
        long records = Samples.distinctExtendedPlays(history);
        drop("zul/Streaming_History_Audio_2024-2025.json", f -> Files.copy(history, f));
        drop("my_spotify_data.zip", f -> Zips.spotifyLike("efrrowini", "Streaming_History_Audio_2022.json").writeTo(f));
        drop("ReadMeFirst.pdf", f -> Files.writeString(f, "%PDF-1.4 binary stuff"));
        drop("empty.json", f -> Files.writeString(f, ""));
        drop("zul/Streaming_History_Audio_2025.json", f -> Files.writeString(f, "[{\"ts\":\"2025-01-01T00:00:00Z\","));

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
        drop("zul/again.json", f -> Files.copy(history, f));
        awaitFile("processed/zul/again.json");
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'")).isEqualTo(records);
        assertThat(db.count("SELECT records_inserted FROM import_run WHERE source_path = 'zul/again.json'")).isZero();
    }

    @Test
    void theSameBytesDroppedAgainAreRecognisedUnreadAndNewBytesOfTheSameNameLoad() throws Exception {
        Path history = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        drop("zul/history.json", f -> Files.copy(history, f));
        awaitFile("processed/zul/history.json");
        long plays = db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'");

        drop("zul/history.json", f -> Files.copy(history, f));
        awaitFile("processed/zul/history (2).json");
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'zul/history.json' AND status = ?"
                + " AND error LIKE 'already loaded on %, 0 new' AND records_read = 0", RunStatus.ALREADY_LOADED.dbValue())).isEqualTo(1);

        // the same name, other bytes: loaded as any new file
        Path more = Samples.file("efrrowini", "Streaming_History_Audio_2023.json");
        drop("zul/history.json", f -> Files.copy(more, f));
        awaitFile("processed/zul/history (3).json");
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'zul/history.json' AND status = ?",
                RunStatus.LOADED.dbValue())).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'")).isGreaterThan(plays);
    }

    @Test
    void afterALoadTheUsersHistoryIsReadAheadOfTheFirstRequest() throws Exception {
        Path history = Samples.file("efrrowini", "Streaming_History_Audio_2024.json");
        try (LogCapture log = LogCapture.open()) {
            drop("erin/history.json", f -> Files.copy(history, f));
            awaitFile("processed/erin/history.json");
            long streams = db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'erin'");
            await("the history read").atMost(WAIT).until(() -> log.text().contains(
                    "The history of erin (" + streams + " streams) was ready"));
        }
    }

    @Test
    void aFileThatIsNoExportGoesToSkippedWithItsReasonAndTheLogSaysWhy() throws Exception {
        try (LogCapture log = LogCapture.open()) {
            drop("zul/notexport.json", f -> Files.writeString(f, "{\"name\": \"groceries\", \"items\": [\"milk\"]}"));
            drop("zul/broken.json", f -> Files.writeString(f, "[{\"ts\":\"2025-01-01T00:00:00Z\","));

            awaitFile("skipped/zul/notexport.json.reason.txt");
            awaitFile("rejected/zul/broken.json.reason.txt");

            assertThat(inbox.resolve("skipped/zul/notexport.json")).exists();
            assertThat(inbox.resolve("processed/zul/notexport.json")).as("it was not loaded, so it does not look it").doesNotExist();
            String reason = Files.readString(inbox.resolve("skipped/zul/notexport.json.reason.txt"));
            assertThat(reason).contains("notexport.json").contains("skipped").contains("not");
            assertThat(log.text()).contains("zul/notexport.json: SKIPPED").contains("notexport.json is not a streaming history: it is a JSON object");
            assertThat(log.text()).as("a rejection's reason is in the log line, not only in .reason.txt")
                    .contains("zul/broken.json: REJECTED").contains("broken.json ends in the middle");
        }
        // the skipped folder is not polled again: the file stays where it was put
        drop("zul/later.json", f -> Files.copy(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"), f));
        awaitFile("processed/zul/later.json");
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE source_path LIKE '%notexport.json'")).isEqualTo(1);
    }

    @Test
    void aFileNamedToForgeALogLineIsLoggedAndQuarantinedWithItsNameEscaped() throws Exception {
        String forged = "broken\n12:00:00.000 INFO  ExportImporter               zul/x.json: LOADED (999 new streams)\u001b[2K.json";
        try (LogCapture log = LogCapture.open()) {
            drop("zul/" + forged, f -> Files.writeString(f, "[{\"ts\":"));

            awaitFile("rejected/zul/" + forged + ".reason.txt");

            String reason = Files.readString(inbox.resolve("rejected/zul/" + forged + ".reason.txt"));
            assertThat(reason).contains("broken\\n12:00:00.000 INFO").contains("\\u001b[2K.json").doesNotContain("\u001b");
            assertThat(reason.lines()).noneMatch(l -> l.startsWith("12:00:00.000"));
            await().atMost(WAIT).until(() -> log.text().contains("Moved zul/broken\\n12:00"));
            assertThat(log.text()).contains("zul/broken\\n12:00:00.000 INFO  ExportImporter               zul/x.json: LOADED")
                    .doesNotContain("\n12:00:00.000").doesNotContain("\u001b");
        }
    }

    @Test
    void everyKindOfBadFileIsQuarantinedWithItsReasonWhileTheOthersLoad() throws Exception {
        Path good = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        String goodJson = Files.readString(good);
        String firstRecord = goodJson.substring(goodJson.indexOf('{'), goodJson.indexOf('}') + 1);
        drop("bad/empty-array.json", f -> Files.writeString(f, "[]"));
        drop("bad/object.json", f -> Files.writeString(f, firstRecord));
        drop("bad/numbers.json", f -> Files.writeString(f, "[1, 2, 3]"));
        drop("bad/traversal.zip", f -> Zips.builder().add("../../escape.json", good).writeTo(f));
        drop("bad/bomb.zip", f -> Zips.builder().add("Streaming_History_Audio_2024.json", new byte[64 << 20]).writeTo(f));
        // and the ones that load: a BOM, and a 10 MB value that costs only its record
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        drop("bad/bom.json", f -> Files.write(f, concat(bom, Files.readAllBytes(good))));
        drop("bad/huge-value.json", f -> Files.writeString(f, goodJson.replaceFirst(
                "\"master_metadata_track_name\":\\s*\"[^\"]*\"", "\"master_metadata_track_name\": \"" + "x".repeat(10 << 20) + "\"")));

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
        drop("John Smith/v.json", f -> Files.copy(Samples.file("efrrowini", "Streaming_History_Video_2023.json"), f));

        awaitFile("rejected/John Smith/v.json.reason.txt");

        assertThat(Files.readString(inbox.resolve("rejected/John Smith/v.json.reason.txt")))
                .contains("'John Smith' is not a valid user name");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
    }

    @Test
    void anEarlierUploadOfTheSameNameIsKeptBesideTheNewOne() throws Exception {
        // Spotify names every export my_spotify_data.zip
        drop("alex/my_spotify_data.zip", f -> Zips.spotifyLike("efrrowini", "Streaming_History_Audio_2022.json").writeTo(f));
        awaitFile("processed/alex/my_spotify_data.zip");
        long first = Files.size(inbox.resolve("processed/alex/my_spotify_data.zip"));
        drop("alex/my_spotify_data.zip", f -> Zips.spotifyLike("efrrowini", "Streaming_History_Audio_2023.json").writeTo(f));
        awaitFile("processed/alex/my_spotify_data (2).zip");

        assertThat(Files.size(inbox.resolve("processed/alex/my_spotify_data.zip"))).as("the first upload, untouched").isEqualTo(first);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alex'")).isEqualTo(
                Samples.distinctExtendedPlays(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"))
                        + Samples.distinctExtendedPlays(Samples.file("efrrowini", "Streaming_History_Audio_2023.json")));
    }

    @Test
    void theSameFileDroppedInAgainIsLookedAtAgain() throws Exception {
        Path file = inbox.resolve("erin/Streaming_History_Video_2026.json");
        drop("erin/Streaming_History_Video_2026.json", f -> Files.copy(Samples.file("efrrowini", "Streaming_History_Video_2026.json"), f));
        awaitFile("processed/erin/Streaming_History_Video_2026.json");

        // moved back unchanged: same name, size and modification time
        Files.move(inbox.resolve("processed/erin/Streaming_History_Video_2026.json"), file);
        // looked at again, and recognised by its bytes (ReUploadTest) rather than read
        await("the second import").atMost(WAIT).until(() -> db.count(
                "SELECT COUNT(*) FROM import_run WHERE source_path = 'erin/Streaming_History_Video_2026.json' AND status IN (?, ?)",
                RunStatus.LOADED.dbValue(), RunStatus.ALREADY_LOADED.dbValue()) == 2);

        assertThat(db.count("SELECT records_inserted FROM import_run WHERE source_path = 'erin/Streaming_History_Video_2026.json' "
                + "ORDER BY import_run_id DESC FETCH FIRST 1 ROWS ONLY")).isZero();
    }

    @Test
    void aFileStillBeingWrittenIsNotTakenHalfWay() throws Exception {
        app.close();
        app = serve("5000");
        byte[] content = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"));
        long records = Samples.distinctExtendedPlays(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"));
        Path target = inbox.resolve("slow/Streaming_History_Audio_2023.json");
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            // Camel's read lock watches the size on the wall clock, which no test clock reaches: a
            // write every 100 ms, a fiftieth of the 5 s settle time, keeps it changing on a busy machine too
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
        await(relative).atMost(WAIT).until(() -> Files.exists(inbox.resolve(relative)));
    }

}
