package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.Zips;
import dev.encore.adls.FakeDataLakeServer;
import dev.encore.store.RunStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ADLS Gen2 flow: the real Azure SDK and the real Camel component, against a local HTTP
 * endpoint that speaks the DFS REST calls (Azurite cannot), and a real PostgreSQL.
 */
class AdlsIntakeRouteTest {
    /** How long to wait for the app before calling it a failure; only a failing test waits this long. */
    private static final java.time.Duration WAIT = java.time.Duration.ofMinutes(2);
    private static final String FS = "encore";

    @TempDir
    Path tmp;
    private FakeDataLakeServer lake;
    private TestDatabase db;

    @BeforeEach
    void start() throws Exception {
        lake = FakeDataLakeServer.start("devstoreaccount1");
        lake.createFileSystem(FS);
        db = TestDatabases.create("postgresql");
    }

    @AfterEach
    void stop() {
        lake.close();
        db.close();
    }

    private static final String ACCOUNT_KEY = Base64.getEncoder().encodeToString(
            "a-secret-account-key-that-must-never-be-logged".getBytes(StandardCharsets.UTF_8));

    private EncoreApp app(String name) throws Exception {
        return EncoreApp.start(db.url(), db.user(), Map.of(
                "encore.local.enabled", "false",
                "encore.adls.enabled", "true",
                "encore.adls.account-name", lake.accountName(),
                "encore.adls.endpoint", lake.endpoint(),
                "encore.adls.auth", "shared-key",
                "encore.adls.account-key", ACCOUNT_KEY,
                "encore.adls.filesystem", FS,
                "encore.adls.poll-interval-ms", "300",
                "encore.adls.settle-ms", "0",
                "encore.adls.download-dir", tmp.resolve(name).toString()));
    }

    @Test
    void loadsEachUserFileOnceAndMovesItOutOfTheIncomingFolder() throws Exception {
        Path audio = Samples.file("efrrowini", "Streaming_History_Audio_2024.json");
        Path other = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        // two users' files with the same name: the downloads must not overwrite each other
        lake.putFile(FS, "exports/alice/Streaming_History_Audio_2024.json", Files.readAllBytes(audio));
        lake.putFile(FS, "exports/bob/Streaming_History_Audio_2024.json", Files.readAllBytes(other));
        lake.putFile(FS, "exports/carol/my_spotify_data.zip", Files.readAllBytes(
                Zips.spotifyLike("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json").writeTo(tmp.resolve("z.zip"))));
        lake.putFile(FS, "exports/notes.pdf", "%PDF-1.4".getBytes(StandardCharsets.UTF_8));
        lake.putFile(FS, "exports/alice/gone.json", "[]".getBytes(StandardCharsets.UTF_8));
        lake.vanishOnNextRead(FS, "exports/alice/gone.json");

        try (LogCapture logs = LogCapture.open(); EncoreApp app = app("one")) {
            await("all files moved").atMost(WAIT).until(() -> lake.listFiles(FS).stream()
                    .noneMatch(p -> p.startsWith("exports/")));
            await("the vanished file recorded").atMost(WAIT).until(() -> app.count(
                    "SELECT COUNT(*) FROM import_run WHERE source_path = 'exports/alice/gone.json'") == 1);

            assertThat(lake.listFiles(FS)).contains(
                    "processed/exports/alice/Streaming_History_Audio_2024.json",
                    "processed/exports/bob/Streaming_History_Audio_2024.json",
                    "processed/exports/carol/my_spotify_data.zip",
                    "rejected/exports/notes.pdf",
                    "rejected/exports/notes.pdf.reason.txt");
            assertThat(new String(lake.read(FS, "rejected/exports/notes.pdf.reason.txt"), StandardCharsets.UTF_8))
                    .contains("notes.pdf is not valid JSON");
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alice'"))
                    .isEqualTo(Samples.distinctExtendedPlays(audio));
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'bob'"))
                    .isEqualTo(Samples.distinctExtendedPlays(other));
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'carol'"))
                    .isEqualTo(Samples.distinctExtendedPlays(Samples.file("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json")));
            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'exports/alice/gone.json' AND error LIKE '%disappeared%'"))
                    .isEqualTo(1);
            assertThat(logs.text()).contains("exports/notes.pdf").doesNotContain(ACCOUNT_KEY)
                    .doesNotContain("a-secret-account-key");
            // only what was claimed was downloaded: one GET per file, not one per file per poll
            assertThat(lake.requestCount("GET /" + FS + "/exports/alice/Streaming_History_Audio_2024.json")).isEqualTo(1);
        }
    }

    @Test
    void anEarlierUploadOfTheSameNameIsKeptInTheProcessedFolder() throws Exception {
        // Spotify names every export my_spotify_data.zip: two different ones, one after the other
        byte[] first = Files.readAllBytes(Zips.spotifyLike("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json")
                .writeTo(tmp.resolve("first.zip")));
        byte[] second = Files.readAllBytes(Zips.spotifyLike("c3988169", "Streaming_History_Audio_2024-2025.json")
                .writeTo(tmp.resolve("second.zip")));
        lake.putFile(FS, "exports/alex/my_spotify_data.zip", first);
        try (EncoreApp app = app("one")) {
            await("the first moved").atMost(WAIT).until(() -> lake.listFiles(FS).contains("processed/exports/alex/my_spotify_data.zip"));
            lake.putFile(FS, "exports/alex/my_spotify_data.zip", second);
            await("the second moved").atMost(WAIT).until(() -> lake.listFiles(FS).stream().noneMatch(p -> p.startsWith("exports/")));
            assertThat(lake.listFiles(FS)).contains("processed/exports/alex/my_spotify_data.zip",
                    "processed/exports/alex/my_spotify_data (2).zip");
            assertThat(lake.read(FS, "processed/exports/alex/my_spotify_data.zip")).isEqualTo(first);
            assertThat(lake.read(FS, "processed/exports/alex/my_spotify_data (2).zip")).isEqualTo(second);
        }
    }

    @Test
    void aFileThatIsNoExportGoesToTheSkippedFolderWithItsReasonBesideIt() throws Exception {
        lake.putFile(FS, "exports/alex/notexport.json",
                "{\"name\": \"groceries\", \"items\": [\"milk\"]}".getBytes(StandardCharsets.UTF_8));
        try (EncoreApp app = app("one")) {
            // the reason is written after the move (create, append, flush): its whole text is the sign it is done
            await("the reason beside it").atMost(WAIT).until(() -> lake.exists(FS, "skipped/exports/alex/notexport.json.reason.txt")
                    && new String(lake.read(FS, "skipped/exports/alex/notexport.json.reason.txt"), StandardCharsets.UTF_8)
                            .contains("notexport.json is not a streaming history"));
            assertThat(lake.listFiles(FS)).containsExactlyInAnyOrder("skipped/exports/alex/notexport.json",
                    "skipped/exports/alex/notexport.json.reason.txt");
            assertThat(app.count("SELECT COUNT(*) FROM stream")).isZero();
        }
    }

    @Test
    void theSameExportUploadedAgainIsRecognisedWithoutBeingRead() throws Exception {
        byte[] export = Files.readAllBytes(Zips.spotifyLike("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json")
                .writeTo(tmp.resolve("export.zip")));
        lake.putFile(FS, "exports/alex/my_spotify_data.zip", export);
        try (EncoreApp app = app("one")) {
            await("the first moved").atMost(WAIT).until(() -> lake.listFiles(FS).contains("processed/exports/alex/my_spotify_data.zip"));
            long plays = app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alex'");
            lake.putFile(FS, "exports/alex/my_spotify_data.zip", export);
            await("the second moved").atMost(WAIT).until(() -> lake.listFiles(FS).contains("processed/exports/alex/my_spotify_data (2).zip"));

            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE source_path = 'exports/alex/my_spotify_data.zip'"
                    + " AND status = ? AND error LIKE 'already loaded on %, 0 new'", RunStatus.ALREADY_LOADED.dbValue())).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE source_path LIKE 'exports/alex/my_spotify_data.zip!/%'"))
                    .as("its entries were not opened a second time")
                    .isEqualTo(app.count("SELECT COUNT(*) FROM import_run WHERE content_digest IS NOT NULL")).isPositive();
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'alex'")).isEqualTo(plays).isPositive();
        }
    }

    @Test
    void twoReplicasPollingOneLakeLoadEveryFileOnce() throws Exception {
        String[] files = {"Streaming_History_Audio_2022.json", "Streaming_History_Audio_2023.json",
                "Streaming_History_Audio_2024.json", "Streaming_History_Audio_2026.json"};
        long expected = 0;
        long rows = 0;
        for (String f : files) {
            Path p = Samples.file("efrrowini", f);
            lake.putFile(FS, "exports/erin/" + f, Files.readAllBytes(p));
            expected += Samples.distinctExtendedPlays(p);
            rows += new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.toFile()).size();
        }
        try (EncoreApp first = app("first"); EncoreApp second = app("second")) {
            await("all files moved").atMost(WAIT).until(() -> lake.listFiles(FS).stream()
                    .noneMatch(p -> p.startsWith("exports/")));

            assertThat(first.count("SELECT COUNT(*) FROM import_run WHERE status = ?", RunStatus.LOADED.dbValue())).isEqualTo(files.length);
            assertThat(first.count("SELECT COUNT(*) FROM stream WHERE user_id = 'erin'")).isEqualTo(expected);
            // the only duplicates are the repeats inside the files themselves: no file was loaded twice
            assertThat(first.count("SELECT SUM(records_duplicate) FROM import_run")).isEqualTo(rows - expected);
            assertThat(first.count("SELECT COUNT(DISTINCT source_path) FROM import_run")).isEqualTo(files.length);
        }
    }
}
