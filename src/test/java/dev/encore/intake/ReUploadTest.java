package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.Zips;
import dev.encore.store.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The content digest (V12): bytes loaded whole for a user before are recognised without being
 * read; anything else (new bytes under an old name, another user, an earlier attempt that was
 * rejected or cut off) loads as it always did.
 */
class ReUploadTest extends ImporterTestBase {
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theSameBytesUnderAnotherNameAreAlreadyLoadedAndNotRead(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        long plays = Samples.distinctExtendedPlays(file);
        Path copy = Files.copy(file, tmp.resolve("renamed.json"));

        FileReport first = importer.importFile(file, "alice/a.json", "alice", "cli");
        FileReport second = importer.importFile(copy, "alice/renamed.json", "alice", "cli");

        assertThat(first.outcome()).isEqualTo(Outcome.LOADED);
        assertThat(second.outcome()).as("a re-upload is no failure").isEqualTo(Outcome.LOADED);
        assertThat(second.inserted()).isZero();
        assertThat(second.reason()).isEqualTo("already loaded on " + loadedOn("alice/a.json") + ", 0 new");
        assertThat(second.describe()).contains("already loaded on ").contains("0 new");
        assertThat(second.runs()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.ALREADY_LOADED);
            assertThat(r.counts().read()).as("not parsed").isZero();
        });
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alice'")).isEqualTo(plays);
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'alice/renamed.json' AND status = ?",
                RunStatus.ALREADY_LOADED.dbValue())).isEqualTo(1);
        // a third time: still recognised, by the first load
        assertThat(importer.importFile(copy, "alice/third.json", "alice", "cli").reason()).isEqualTo(second.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theSameNameWithNewBytesLoadsNormally(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        ArrayNode records = (ArrayNode) JSON.readTree(file.toFile());
        ObjectNode extra = records.get(0).deepCopy();
        extra.put("ms_played", extra.get("ms_played").asInt() + 1); // one play more than the file that was loaded
        records.add(extra);
        Path grown = tmp.resolve("Streaming_History_Audio_2022.json");
        JSON.writeValue(grown.toFile(), records);

        importer.importFile(file, "erin/Streaming_History_Audio_2022.json", "erin", "local");
        FileReport second = importer.importFile(grown, "erin/Streaming_History_Audio_2022.json", "erin", "local");

        assertThat(second.outcome()).isEqualTo(Outcome.LOADED);
        assertThat(second.runs().get(0).status()).isEqualTo(RunStatus.LOADED);
        assertThat(second.runs().get(0).counts().read()).isEqualTo(records.size());
        assertThat(second.inserted()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anotherUsersCopyOfTheSameBytesIsTheirsToLoad(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        long plays = Samples.distinctExtendedPlays(file);

        importer.importFile(file, "erin/v.json", "erin", "local");
        FileReport theirs = importer.importFile(file, "fred/v.json", "fred", "local");

        assertThat(theirs.runs().get(0).status()).isEqualTo(RunStatus.LOADED);
        assertThat(theirs.inserted()).isEqualTo(plays);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aZipThatWasRejectedBeforeIsReadAgain(String kind) throws Exception {
        open(kind);
        byte[] good = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"));
        Path file = Zips.builder().add("a/Streaming_History_Audio_2022.json", good)
                .add("a/Streaming_History_Audio_2023.json", "[{\"ts\":".getBytes(StandardCharsets.UTF_8))
                .writeTo(tmp.resolve("mixed.zip"));

        FileReport first = importer.importFile(file, "mixed.zip", "erin", "local");
        FileReport again = importer.importFile(file, "mixed.zip", "erin", "local");

        assertThat(first.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(again.outcome()).as("its good entry loaded, but the file did not load whole").isEqualTo(Outcome.REJECTED);
        assertThat(again.runs()).extracting(RunReport::status).doesNotContain(RunStatus.ALREADY_LOADED)
                .contains(RunStatus.LOADED, RunStatus.REJECTED);
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE content_digest IS NOT NULL")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void onlyALoadedRunVouchesForItsBytes(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        importer.importFile(file, "erin/v.json", "erin", "local");
        String digest = ContentDigest.of(file);
        // as if that load had been cut off, or had failed: its digest alone must not stop the next one
        for (RunStatus status : new RunStatus[] {RunStatus.INTERRUPTED, RunStatus.FAILED, RunStatus.RUNNING}) {
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE import_run SET status = ? WHERE content_digest = ?")) {
                ps.setString(1, status.dbValue());
                ps.setString(2, digest);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            FileReport again = importer.importFile(file, "erin/v.json", "erin", "local");
            assertThat(again.runs().get(0).status()).as(status.dbValue()).isEqualTo(RunStatus.LOADED);
            assertThat(again.runs().get(0).counts().read()).isPositive();
            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("UPDATE import_run SET content_digest = NULL WHERE import_run_id = ?")) {
                ps.setLong(1, again.runs().get(0).runId()); // leave the cut-off one as the only bearer
                ps.executeUpdate();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFileHashedWhileItWasParsedCarriesTheDigestOfItsBytes(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");

        importer.importFile(file, "alice/a.json", "alice", "cli"); // no load of this size yet: hashed on the way

        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'alice/a.json' AND content_digest = ?"
                + " AND content_bytes = ?", ContentDigest.of(file), Files.size(file))).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void otherBytesOfTheSameSizeAreReadAndLoaded(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        String json = Files.readString(file);
        int at = json.indexOf("\"ms_played\"");
        int digit = json.indexOf(json.chars().skip(at).filter(Character::isDigit).findFirst().orElseThrow(), at);
        char d = json.charAt(digit);
        Path sameSize = Files.writeString(tmp.resolve("same-size.json"),
                json.substring(0, digit) + (d == '9' ? '8' : (char) (d + 1)) + json.substring(digit + 1));
        assertThat(Files.size(sameSize)).isEqualTo(Files.size(file));

        importer.importFile(file, "erin/a.json", "erin", "local");
        FileReport second = importer.importFile(sameSize, "erin/b.json", "erin", "local");

        assertThat(second.runs().get(0).status()).isEqualTo(RunStatus.LOADED);
        assertThat(second.inserted()).as("one play differs in its duration: a play of its own").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLoadFromBeforeSizesWereKeptStillRecognisesItsBytes(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        importer.importFile(file, "erin/v.json", "erin", "local");
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE import_run SET content_bytes = NULL")) {
            ps.executeUpdate(); // as a run recorded before V15
        }

        FileReport again = importer.importFile(file, "erin/again.json", "erin", "local");

        assertThat(again.runs()).singleElement().extracting(RunReport::status).isEqualTo(RunStatus.ALREADY_LOADED);
    }

    private String loadedOn(String sourcePath) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT finished_at FROM import_run WHERE source_path = ?")) {
            ps.setString(1, sourcePath);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .format(rs.getObject(1, java.time.LocalDateTime.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
