package dev.encore.lake;

import static dev.encore.lake.RawFileLoaderTest.plays;
import static dev.encore.lake.SpotifyAnswers.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.adls.FakeDataLakeServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw-intake routes in the app as {@code encore serve} runs them: a file the extraction drops
 * into the local lake, or writes into ADLS, is loaded once and left where it is; gaps show in the API.
 */
class RawIntakeRouteTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String FS = "encore";
    /** Recent enough for the listing's window (the last 2 days of folders). */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(6 * 3600);

    @TempDir
    Path tmp;
    private TestDatabase db;
    private FakeDataLakeServer lake;

    @AfterEach
    void stop() {
        if (lake != null) {
            lake.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private EncoreApp local(Path lakeDir) throws Exception {
        return EncoreApp.start(db.url(), db.user(), Map.of("encore.lake.dir", lakeDir.toString(),
                "encore.raw.poll-interval-ms", "200", "encore.inbox.dir", tmp.resolve("inbox").toString(),
                "encore.enrich.scheduled", "false"));
    }

    /** As the extraction writes: beside, hidden, then moved into place whole. */
    private static void drop(Path lakeDir, String rawPath, byte[] content) throws Exception {
        Path target = lakeDir.resolve(rawPath);
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Files.write(part, content);
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode get(EncoreApp app, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return SpotifyAnswers.JSON.readTree(r.body());
    }

    @Test
    @DisplayName("a raw file dropped into the local lake loads once and stays; a full page opens a gap the API shows")
    void theLocalLakeIsPickedUp() throws Exception {
        db = TestDatabases.h2();
        Path lakeDir = Files.createDirectories(tmp.resolve("lake"));
        Instant first = NOW.minusSeconds(5 * 3600);
        String firstPage = path("recently-played", "noa", first.plusSeconds(10 * 240), null);
        try (EncoreApp app = local(lakeDir)) {
            drop(lakeDir, firstPage, SpotifyAnswers.recentlyPlayed(50, plays(first, 10)));
            await("the first page").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'noa'") == 10);

            // a full page, all newer than what is stored; and a broken file beside it
            String secondPage = path("recently-played", "noa", NOW, null);
            drop(lakeDir, secondPage, SpotifyAnswers.recentlyPlayed(50, plays(NOW.minusSeconds(50 * 240), 50)));
            String broken = path("recently-played", "noa", NOW.plusSeconds(1), null);
            drop(lakeDir, broken, "{\"items\": [{\"played_at\": 1}]}".getBytes(StandardCharsets.UTF_8));
            await("the second page").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'noa'") == 60);
            await("the broken file").atMost(WAIT).until(() -> app.count(
                    "SELECT COUNT(*) FROM import_run WHERE status = 'rejected' AND source_path = ?", broken) == 1);

            assertThat(lakeDir.resolve(firstPage)).as("the raw zone is immutable").exists();
            assertThat(lakeDir.resolve(broken)).exists();
            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE source_path = ? AND source_kind = 'api' "
                    + "AND format = 'spotify-api:recently-played' AND records_inserted = 10", firstPage)).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM file_claim WHERE claim_key = ? AND status = 'done'", "raw:" + firstPage)).isEqualTo(1);
            JsonNode gaps = get(app, "/api/users/noa/gaps");
            assertThat(gaps.path("gaps")).hasSize(1);
            assertThat(gaps.path("gaps").get(0).path("from").asText()).isEqualTo(first.plusSeconds(9 * 240).toString());
            assertThat(gaps.path("gaps").get(0).path("to").asText()).isEqualTo(NOW.minusSeconds(50 * 240).toString());
            JsonNode users = get(app, "/api/users");
            assertThat(users.path("users").get(0).path("open_gaps").asInt()).isEqualTo(1);
            assertThat(users.path("users").get(0).path("streams").asInt()).isEqualTo(60);
        }
    }

    @Test
    @DisplayName("a raw file named to forge a log line is loaded and logged with its name escaped (issue 12, item 7)")
    void aRawFileNamedToForgeALogLineIsLoggedEscaped() throws Exception {
        db = TestDatabases.h2();
        Path lakeDir = Files.createDirectories(tmp.resolve("lake"));
        String forged = path("recently-played", "noa", NOW, "\n12:00:00.000 INFO  raw-file  Raw file forged.json: LOADED\u001b[2K");
        try (dev.encore.LogCapture log = dev.encore.LogCapture.open(); EncoreApp app = local(lakeDir)) {
            drop(lakeDir, forged, SpotifyAnswers.recentlyPlayed(50, plays(NOW.minusSeconds(3600), 3)));
            await("the page").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'noa'") == 3);
            await("the route's line").atMost(WAIT).until(() -> log.text().contains("Raw file raw/spotify/recently-played/noa"));

            assertThat(log.text().lines().filter(l -> l.contains("forged.json"))).as("none forged").isNotEmpty()
                    .allMatch(l -> l.contains("\\n12:00:00.000 INFO  raw-file  Raw file forged.json: LOADED\\u001b[2K"));
            assertThat(log.text().replace("\n", "").chars().filter(Character::isISOControl)).as("raw control characters").isEmpty();
        }
    }

    @Test
    @DisplayName("the raw intake polls in `serve`, not in one-shot commands, and encore.raw.enabled=false stops it")
    void onlyTheServerPollsTheLake() throws Exception {
        db = TestDatabases.h2();
        Path lakeDir = Files.createDirectories(tmp.resolve("lake"));
        try (EncoreApp app = local(lakeDir)) {
            assertThat(app.camel().getRouteController().getRouteStatus("raw-intake-local").isStarted()).isTrue();
        }
        org.apache.camel.main.Main oneShot = dev.encore.Encore.newOneShotMain(dev.encore.cli.CommandLine.parse("enrich", "--db", db.url()));
        oneShot.addOverrideProperty("encore.db.user", db.user());
        oneShot.addOverrideProperty("encore.scheduler.name", "encore-test-" + java.util.UUID.randomUUID());
        oneShot.start();
        try {
            assertThat(oneShot.getCamelContext().getRouteController().getRouteStatus("raw-intake-local").isStarted()).isFalse();
            assertThat(oneShot.getCamelContext().getRouteController().getRouteStatus("raw-intake-adls").isStarted()).isFalse();
        } finally {
            oneShot.stop();
        }
        try (EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.lake.dir", lakeDir.toString(),
                "encore.raw.enabled", "false", "encore.enrich.scheduled", "false"))) {
            assertThat(app.camel().getRouteController().getRouteStatus("raw-intake-local").isStarted()).isFalse();
        }
    }

    @Test
    @DisplayName("after the first listing, folders older than the window are not walked; the next start walks them once")
    void oldFoldersAreWalkedOnlyOnceAfterStart() throws Exception {
        db = TestDatabases.h2();
        Path lakeDir = Files.createDirectories(tmp.resolve("lake"));
        Instant recent = NOW.minusSeconds(3600);
        try (EncoreApp app = local(lakeDir)) {
            drop(lakeDir, path("top-tracks", "noa", recent, "short_term"), SpotifyAnswers.topTracks(List.of(RawFileLoaderTest.A)));
            await("the first file").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM top_item") == 1);
            // a file in a folder of ten days ago (written while nobody listened), then a recent one
            Instant old = NOW.minus(Duration.ofDays(10));
            drop(lakeDir, path("top-tracks", "noa", old, "long_term"), SpotifyAnswers.topTracks(List.of(RawFileLoaderTest.B)));
            drop(lakeDir, path("top-tracks", "noa", recent.plusSeconds(60), "medium_term"), SpotifyAnswers.topTracks(List.of(RawFileLoaderTest.C)));
            await("the recent file").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM top_item WHERE time_range = 'medium_term'") == 1);
            assertThat(app.count("SELECT COUNT(*) FROM top_item WHERE time_range = 'long_term'")).isZero();
        }
        try (EncoreApp app = local(lakeDir)) {
            await("the old file, at the first listing after start").atMost(WAIT)
                    .until(() -> app.count("SELECT COUNT(*) FROM top_item WHERE time_range = 'long_term'") == 1);
            assertThat(app.count("SELECT COUNT(*) FROM import_run")).as("each file loaded once over both runs").isEqualTo(3);
        }
    }

    @Test
    @DisplayName("raw files in ADLS (below the lake's root) load once, downloaded only when claimed, with two replicas polling")
    void theAdlsLakeIsPickedUp() throws Exception {
        db = TestDatabases.create("postgresql");
        lake = FakeDataLakeServer.start("devstoreaccount1");
        lake.createFileSystem(FS);
        String key = java.util.Base64.getEncoder().encodeToString("raw-intake-test-key".getBytes(StandardCharsets.UTF_8));
        java.util.function.Function<String, Map<String, String>> settings = name -> {
            Map<String, String> s = new HashMap<>(Map.of("encore.local.enabled", "false", "encore.raw.local-enabled", "false",
                    "encore.adls.enabled", "true", "encore.adls.account-name", lake.accountName(),
                    "encore.adls.endpoint", lake.endpoint(), "encore.adls.auth", "shared-key", "encore.adls.account-key", key,
                    "encore.adls.filesystem", FS, "encore.adls.poll-interval-ms", "600000", "encore.raw.poll-interval-ms", "300"));
            s.put("encore.lake.root", "warehouse/lake");
            s.put("encore.adls.download-dir", tmp.resolve(name).toString());
            s.put("encore.enrich.scheduled", "false");
            return s;
        };
        String rp = "warehouse/lake/" + path("recently-played", "ola", NOW, null);
        String saved = "warehouse/lake/" + path("saved-tracks", "ola", NOW, "0");
        try (EncoreApp one = EncoreApp.start(db.url(), db.user(), settings.apply("one"));
                EncoreApp two = EncoreApp.start(db.url(), db.user(), settings.apply("two"))) {
            lake.putFile(FS, rp, SpotifyAnswers.recentlyPlayed(50, plays(NOW.minusSeconds(3600), 7)));
            lake.putFile(FS, saved, SpotifyAnswers.savedTracks(0, 1, List.of(RawFileLoaderTest.B), List.of(NOW)));
            lake.putFile(FS, "exports/ola/not-raw.json", "[]".getBytes(StandardCharsets.UTF_8));

            await("both files").atMost(WAIT).until(() -> one.count("SELECT COUNT(*) FROM import_run WHERE status = 'loaded'") == 2);
            assertThat(one.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ola' AND source = 'api'")).isEqualTo(7);
            assertThat(one.count("SELECT COUNT(*) FROM saved_track WHERE user_id = 'ola'")).isEqualTo(1);
            assertThat(one.count("SELECT COUNT(*) FROM import_run WHERE source_kind = 'api' AND source_path = ?", rp)).isEqualTo(1);
            assertThat(lake.exists(FS, rp)).as("left in the raw zone").isTrue();
            assertThat(lake.requestCount("GET /" + FS + "/" + rp)).as("downloaded once, by the replica that claimed it").isEqualTo(1);
        }
    }
}
