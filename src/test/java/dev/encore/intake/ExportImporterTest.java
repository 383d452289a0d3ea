package dev.encore.intake;

import static dev.encore.store.RunStatus.FAILED;
import static dev.encore.store.RunStatus.LOADED;
import static dev.encore.store.RunStatus.REJECTED;
import static dev.encore.store.RunStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.Zips;
import dev.encore.export.ZipLimits;
import dev.encore.store.ImportStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loading files into a real database (H2 and PostgreSQL): every stream once, bad files
 * quarantined whole, bad records alone. Expected counts are computed here from the raw JSON.
 */
class ExportImporterTest extends ImporterTestBase {
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aReUploadedFileAddsNothing(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        int records = JSON.readTree(file.toFile()).size();
        long plays = Samples.distinctExtendedPlays(file);

        // the same records in other bytes (a second export of the same months): read, and all duplicates
        Path again = tmp.resolve("a-again.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(again.toFile(), JSON.readTree(file.toFile()));

        FileReport first = importer.importFile(file, "alice/a.json", "alice", "cli");
        FileReport second = importer.importFile(again, "alice/a-again.json", "alice", "cli");

        assertThat(first.outcome()).isEqualTo(Outcome.LOADED);
        assertThat(first.runs().get(0).counts().inserted()).isEqualTo(plays);
        assertThat(second.runs().get(0).counts().inserted()).isZero();
        assertThat(second.runs().get(0).counts().duplicate()).isEqualTo(records);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alice'")).isEqualTo(plays);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void repeatsInsideAFileLandOnce(String kind) throws Exception {
        open(kind);
        Path file = Samples.file("lshatkin", "endsong_2.json"); // 20+ exact duplicate rows
        Set<String> distinct = new HashSet<>();
        for (JsonNode r : JSON.readTree(file.toFile())) {
            distinct.add(r.get("ts").asText() + "|" + r.get("ms_played").asInt() + "|"
                    + norm(r.get("master_metadata_album_artist_name")) + "|" + norm(r.get("master_metadata_track_name"))
                    + "|" + norm(r.get("episode_show_name")) + "|" + norm(r.get("episode_name")));
        }

        FileReport report = importer.importFile(file, "endsong_2.json", "lena", "cli");

        RunReport run = report.runs().get(0);
        assertThat(run.counts().inserted()).isEqualTo(distinct.size());
        assertThat(run.counts().duplicate()).isEqualTo(run.counts().read() - distinct.size()).isGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void accountDataAndExtendedHistoryOfTheSamePlaysCountOnceInEitherOrder(String kind) throws Exception {
        open(kind);
        List<Path> basic = List.of(Samples.file("alexgasconn-mireia", "StreamingHistory0.json"),
                Samples.file("alexgasconn-mireia", "StreamingHistory1.json"),
                Samples.file("alexgasconn-mireia", "StreamingHistory2.json"));
        List<Path> extended = List.of(Samples.file("alexgasconn-mireia", "Streaming_History_Audio_2023_8.json"),
                Samples.file("alexgasconn-mireia", "Streaming_History_Video_2018-2023.json"));
        long expected = expectedDistinctPlays(basic, extended);

        for (Path p : basic) {
            importer.importFile(p, p.getFileName().toString(), "basic-first", "cli");
        }
        for (Path p : extended) {
            importer.importFile(p, p.getFileName().toString(), "basic-first", "cli");
        }
        for (Path p : extended) {
            importer.importFile(p, p.getFileName().toString(), "extended-first", "cli");
        }
        for (Path p : basic) {
            importer.importFile(p, p.getFileName().toString(), "extended-first", "cli");
        }

        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'basic-first'")).isEqualTo(expected);
        // stream has no foreign keys (for load speed): nothing may point nowhere all the same
        assertThat(db.count("SELECT COUNT(*) FROM stream s WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.user_id = s.user_id)"
                + " OR NOT EXISTS (SELECT 1 FROM import_run r WHERE r.import_run_id = s.import_run_id)")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'extended-first'")).isEqualTo(expected);
        // the extended details won: the overlap's plays carry URIs and second precision either way
        for (String user : List.of("basic-first", "extended-first")) {
            assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = '" + user
                    + "' AND ts_precision = 'second' AND track_uri IS NOT NULL")).isEqualTo(
                    db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'extended-first' AND track_uri IS NOT NULL"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBadRecordIsRefusedWithItsReasonAndTheRestLoad(String kind) throws Exception {
        open(kind);
        JsonNode rows = JSON.readTree(Samples.file("efrrowini", "Streaming_History_Audio_2022.json").toFile());

        RunReport run = importEdited("one-bad.json",
                json -> json.replaceFirst("\"ms_played\":\\s*\\d+", "\"ms_played\":\"n/a\""));

        assertThat(run.status()).isEqualTo(LOADED);
        assertThat(run.counts().rejected()).isEqualTo(1);
        assertThat(run.counts().read()).isEqualTo(rows.size());
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'erin'"))
                .isEqualTo(run.counts().inserted()).isEqualTo(run.counts().read() - 1 - run.counts().duplicate());
        assertThat(text("SELECT reason FROM import_rejected_record WHERE import_run_id = " + run.runId()))
                .contains("ms_played should be a whole number but is the text \"n/a\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anUnreadableFileLoadsNothingAndSaysWhy(String kind) throws Exception {
        open(kind);
        byte[] full = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"));
        Path truncated = Files.write(tmp.resolve("Streaming_History_Audio_2023.json"), Arrays.copyOf(full, full.length - 100));

        FileReport report = importer.importFile(truncated, "Streaming_History_Audio_2023.json", "erin", "cli");

        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(report.reason()).startsWith("Streaming_History_Audio_2023.json").contains("truncated");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
        assertThat(text("SELECT status FROM import_run WHERE import_run_id = " + report.runs().get(0).runId()))
                .isEqualTo(REJECTED.dbValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSpotifyZipLoadsItsHistoriesAndSkipsTheRest(String kind) throws Exception {
        open(kind);
        Zips zip = Zips.spotifyLike("hobbies-w-erin", "StreamingHistory_music_0.json", "StreamingHistory_podcast_0.json",
                "StreamingHistory_audiobook_0.json", "Playlist1.json", "YourLibrary.json", "Userdata.json");
        Path file = zip.writeTo(tmp.resolve("my_spotify_data.zip"));
        long plays = 0;
        for (String f : List.of("StreamingHistory_music_0.json", "StreamingHistory_podcast_0.json", "StreamingHistory_audiobook_0.json")) {
            plays += JSON.readTree(Samples.file("hobbies-w-erin", f).toFile()).size();
        }

        FileReport report = importer.importFile(file, "erin/my_spotify_data.zip", "erin", "local");

        assertThat(report.outcome()).isEqualTo(Outcome.LOADED);
        assertThat(report.runs()).extracting(RunReport::status)
                .containsExactly(LOADED, LOADED, LOADED, SKIPPED, SKIPPED, SKIPPED, SKIPPED);
        assertThat(report.runs().get(6).reason()).contains("ReadMeFirst_ExtendedStreamingHistory.pdf is not a JSON file");
        assertThat(db.count("SELECT SUM(records_read) FROM import_run WHERE status = ?", LOADED.dbValue())).isEqualTo(plays);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'erin'"))
                .isEqualTo(report.inserted()).isLessThanOrEqualTo(plays);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aZipWithOneBadEntryIsQuarantinedButItsGoodFilesStay(String kind) throws Exception {
        open(kind);
        byte[] good = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"));
        Path file = Zips.builder().add("a/Streaming_History_Audio_2022.json", good)
                .add("a/Streaming_History_Audio_2023.json", "[{\"ts\":".getBytes(StandardCharsets.UTF_8))
                .writeTo(tmp.resolve("mixed.zip"));

        FileReport report = importer.importFile(file, "mixed.zip", "erin", "local");

        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(report.reason()).contains("Streaming_History_Audio_2023.json").contains("truncated");
        assertThat(report.describe()).contains("uploading it again after a fix counts no stream twice");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isEqualTo(report.inserted()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aZipWithTwoEntriesOfOneNameIsRefusedWithTheReasonRatherThanLosingOne(String kind) throws Exception {
        open(kind);
        JsonNode sample = JSON.readTree(Samples.file("efrrowini", "Streaming_History_Audio_2022.json").toFile());
        String name = "h/Streaming_History_Audio_2022.json";
        Path file = Zips.builder().add(name, records(sample, 0, 5)).add("h/Streaming_History_Audio_2023.json", records(sample, 5, 7))
                .writeTo(tmp.resolve("twins.zip"));
        Zips.renameEntry(file, "h/Streaming_History_Audio_2023.json", name); // entries of 5 and 7 records, one name

        FileReport report = importer.importFile(file, "erin/twins.zip", "erin", "local");

        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(report.reason()).contains("twins.zip").contains("two entries named \"" + name + "\"");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).as("no half of the records pretends to be the export").isZero();
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE status = ?", LOADED.dbValue())).isZero();
    }

    private static byte[] records(JsonNode all, int from, int count) throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode part = JSON.createArrayNode();
        for (int i = from; i < from + count; i++) {
            part.add(all.get(i));
        }
        return JSON.writeValueAsBytes(part);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anEntryWhoseHeaderLiesAboutItsSizeEndsTheReadingOfItsArchive(String kind) throws Exception {
        open(kind);
        String liar = "a/Streaming_History_Audio_2023.json";
        Path file = Zips.builder().add(liar, ("[" + " ".repeat(3 << 20) + "]").getBytes(StandardCharsets.UTF_8))
                .add("b/Streaming_History_Audio_2022.json", Samples.file("efrrowini", "Streaming_History_Audio_2022.json"))
                .writeTo(tmp.resolve("liar.zip"));
        Zips.declareUncompressedSize(file, liar, 100); // passes the declared-size checks, inflates to 3 MiB
        ExportImporter strict = new ExportImporter(database, new ImportStore(database.dataSource()),
                new ZipLimits(1 << 20, 1L << 30, 1_000_000, 100), 500);

        FileReport report = strict.importFile(file, "liar.zip", "erin", "local");

        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(report.reason()).isEqualTo("the archive's entry \"" + liar + "\" inflates past 1048576 bytes");
        assertThat(report.runs()).as("the entry after the liar is not read").hasSize(1);
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBinaryFileOrADamagedArchiveIsQuarantinedNotRetried(String kind) throws Exception {
        open(kind);
        byte[] mp4 = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm'};
        Path video = Files.write(tmp.resolve("clip.mp4"), mp4);
        Path zip = Zips.builder().add("Streaming_History_Audio_2024.json",
                Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2024.json"))).writeTo(tmp.resolve("damaged.zip"));
        byte[] bytes = Files.readAllBytes(zip);
        for (int i = 200; i < 400; i++) {
            bytes[i] ^= 0x5a; // scramble the deflated data, not the headers
        }
        Files.write(zip, bytes);

        FileReport binary = importer.importFile(video, "clip.mp4", "erin", "local");
        FileReport damaged = importer.importFile(zip, "damaged.zip", "erin", "local");

        assertThat(binary.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(binary.reason()).contains("clip.mp4");
        assertThat(damaged.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(damaged.reason()).contains("Streaming_History_Audio_2024.json");
        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE status = ?", FAILED.dbValue())).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
    }

    @org.junit.jupiter.api.Test
    void aConnectionLostMidImportIsReportedByItsCauseNotByTheFailedCleanUp() throws Exception {
        open("postgresql");
        // the server ends the importing session itself at its first stream row, as a failover or a killed backend does
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION cut_the_line() RETURNS trigger AS $$ BEGIN "
                    + "PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$ LANGUAGE plpgsql");
            st.execute("CREATE TRIGGER cut_the_line BEFORE INSERT ON stream FOR EACH ROW EXECUTE FUNCTION cut_the_line()");
        }
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");

        // the conflict-safe path meets the trigger in its INSERT, while the driver waits for the answer
        SQLException thrown = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> importer.conflictSafeOnly().importFile(file, "erin/cut.json", "erin", "cli"));

        assertThat(thrown.getMessage()).as("the first error, not the rollback's").contains("terminating connection")
                .doesNotContain("has been closed");
        assertThat(text("SELECT status FROM import_run WHERE source_path = 'erin/cut.json'")).isEqualTo(FAILED.dbValue());
        assertThat(text("SELECT error FROM import_run WHERE source_path = 'erin/cut.json'")).contains("terminating connection");
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();

        // COPY straight into stream meets it mid-COPY: the server's last word is lost with the socket,
        // but the error is still the lost connection, not the failed rollback after it
        SQLException direct = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> importer.importFile(file, "erin/cut-direct.json", "erin", "cli"));
        assertThat(direct.getSQLState()).startsWith("08");
        assertThat(direct.getMessage()).doesNotContain("has been closed");
        assertThat(text("SELECT status FROM import_run WHERE source_path = 'erin/cut-direct.json'")).isEqualTo(FAILED.dbValue());
        assertThat(db.count("SELECT COUNT(*) FROM stream")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNulCharacterCostsItsRecordOnly(String kind) throws Exception {
        open(kind);
        RunReport run = importEdited("nul.json",
                json -> json.replaceFirst("\"platform\":\\s*\"", "\"platform\": \"\\\\u0000"));

        assertThat(run.status()).isEqualTo(LOADED);
        assertThat(run.counts().rejected()).isEqualTo(1);
        assertThat(text("SELECT reason FROM import_rejected_record WHERE import_run_id = " + run.runId()))
                .contains("platform contains a NUL character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDamagedFirstRecordDoesNotHideTheRestOfTheFile(String kind) throws Exception {
        open(kind);
        Path good = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");

        RunReport run = importEdited("first-damaged.json", json -> json.replaceFirst("\"ts\":\\s*\"[^\"]*\",", ""));

        assertThat(run.status()).isEqualTo(LOADED);
        assertThat(run.format()).isEqualTo("extended-2024");
        assertThat(run.counts().rejected()).isEqualTo(1);
        assertThat(run.counts().read()).isEqualTo(JSON.readTree(good.toFile()).size());
        assertThat(text("SELECT reason FROM import_rejected_record WHERE import_run_id = " + run.runId()))
                .contains("not those of any streaming history format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void namesArriveExactlyAsExportedWhateverTheyContain(String kind) throws Exception {
        open(kind);
        String name = "Tab\there \\ back\\slash \"quoted\" new\nline ümlaut 日本語 🎧 \\N";
        ObjectNode record = (ObjectNode) JSON.readTree(Samples.file("efrrowini", "Streaming_History_Audio_2022.json").toFile()).get(0);
        record.put("master_metadata_track_name", name);
        record.put("master_metadata_album_artist_name", "\\");
        Path file = tmp.resolve("odd-names.json");
        JSON.writeValue(file.toFile(), JSON.createArrayNode().add(record));

        importer.importFile(file, "odd-names.json", "erin", "cli");

        assertThat(text("SELECT track_name FROM stream")).isEqualTo(name);
        assertThat(text("SELECT artist_name FROM stream")).isEqualTo("\\");
    }

    /** Imports a copy of efrrowini's 2022 history, edited as given, and returns its run. */
    private RunReport importEdited(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        String json = edit.apply(Files.readString(Samples.file("efrrowini", "Streaming_History_Audio_2022.json")));
        Path file = Files.writeString(tmp.resolve(name), json);
        return importer.importFile(file, name, "erin", "cli").runs().get(0);
    }

    private long expectedDistinctPlays(List<Path> basic, List<Path> extended) throws Exception {
        Set<String> exact = new HashSet<>();
        Set<String> byMinute = new HashSet<>();
        for (Path p : extended) {
            for (JsonNode r : JSON.readTree(p.toFile())) {
                String creator = r.get("master_metadata_track_name").isNull()
                        ? norm(r.get("episode_show_name")) : norm(r.get("master_metadata_album_artist_name"));
                String title = r.get("master_metadata_track_name").isNull()
                        ? norm(r.get("episode_name")) : norm(r.get("master_metadata_track_name"));
                String content = r.get("ms_played").asInt() + "|" + creator + "|" + title;
                exact.add(r.get("ts").asText() + "|" + content);
                byMinute.add(r.get("ts").asText().substring(0, 16) + "|" + content);
            }
        }
        Set<String> basicOnly = new HashSet<>();
        for (Path p : basic) {
            for (JsonNode r : JSON.readTree(p.toFile())) {
                String key = r.get("endTime").asText().replace(' ', 'T') + "|" + r.get("msPlayed").asInt() + "|"
                        + norm(r.get("artistName")) + "|" + norm(r.get("trackName"));
                if (!byMinute.contains(key)) {
                    basicOnly.add(key);
                }
            }
        }
        return exact.size() + basicOnly.size();
    }

    /** Account data's "Unknown Artist" / "Unknown Track" stand for the extended history's missing names. */
    private static String norm(JsonNode n) {
        String s = n == null || n.isNull() ? "" : n.asText().trim().toLowerCase(Locale.ROOT);
        return s.equals("unknown artist") || s.equals("unknown track") ? "" : s;
    }

    private String text(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
