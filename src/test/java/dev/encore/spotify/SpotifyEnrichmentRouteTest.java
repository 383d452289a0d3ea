package dev.encore.spotify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.intake.Headers;
import dev.encore.musicbrainz.FakeMusicBrainz;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enrichment through the real routes and camel-http against a local stub that speaks the Spotify
 * accounts service and Web API, driven by a real sample export. Call counts are exact.
 */
class SpotifyEnrichmentRouteTest {
    /** How long to wait for the app before calling it a failure; only a failing test waits this long. */
    private static final java.time.Duration WAIT = java.time.Duration.ofMinutes(2);
    private static final String SECRET = "a-client-secret-that-must-never-be-logged";
    private FakeSpotify spotify;
    private TestDatabase db;
    private List<String> trackIds;

    @BeforeEach
    void start() throws Exception {
        spotify = FakeSpotify.start().credentials("encore-test", SECRET);
        db = TestDatabases.create("h2");
        try (EncoreApp app = app("auto")) {
            Path sample = Samples.file("efrrowini", "Streaming_History_Audio_2023.json");
            app.camel().createProducerTemplate().request("direct:import-file", ex -> {
                ex.getMessage().setBody(sample.toFile());
                ex.getMessage().setHeader(Headers.SOURCE_PATH, sample.toString());
                ex.getMessage().setHeader(Headers.SOURCE_KIND, "cli");
                ex.getMessage().setHeader(Headers.USER, "erin");
            });
        }
        trackIds = query("SELECT DISTINCT SUBSTRING(track_uri, 15, 22) FROM stream WHERE track_uri LIKE 'spotify:track:%' ORDER BY 1");
        // a catalogue for them: ten tracks per album, each album by its own artist plus a shared guest
        for (int i = 0; i < trackIds.size(); i++) {
            String album = id("al", i / 10);
            spotify.addAlbum(album, "Album " + i / 10, "album", "2019-05-01", "day");
            spotify.addArtist(id("ar", i / 10), "Artist " + i / 10, List.of("indie pop"));
            spotify.addTrack(trackIds.get(i), "Track " + i, album, List.of(id("ar", i / 10), id("ar", 9999)), "USABC" + i);
        }
        spotify.addArtist(id("ar", 9999), "Guest", List.of());
    }

    @AfterEach
    void stop() {
        spotify.close();
        db.close();
    }

    @Test
    void batchModeSpendsTheFewestCallsAndASecondRunNone() throws Exception {
        int albums = (trackIds.size() + 9) / 10;
        try (LogCapture logs = LogCapture.open(); EncoreApp app = app("batch")) {
            enrich(app);
            assertThat(spotify.calls("GET /v1/tracks?")).isEqualTo(ceil(trackIds.size(), 50));
            assertThat(spotify.calls("GET /v1/albums?")).isEqualTo(ceil(albums, 20));
            assertThat(spotify.calls("GET /v1/artists?")).isEqualTo(ceil(albums + 1, 50));
            assertThat(spotify.calls("GET /v1/tracks/")).isZero();
            assertThat(spotify.tokenRequests()).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
            assertThat(app.count("SELECT COUNT(*) FROM album")).isEqualTo(albums);
            assertThat(app.count("SELECT COUNT(*) FROM artist")).isEqualTo(albums + 1);
            assertThat(app.count("SELECT COUNT(*) FROM track_artist WHERE position = 1")).isEqualTo(trackIds.size());
            assertThat(app.count("SELECT COUNT(*) FROM artist_genre g JOIN genre n ON n.genre_id = g.genre_id "
                    + "WHERE n.name = 'indie pop' AND g.source = 'spotify'")).isEqualTo(albums);

            spotify.resetCounters();
            enrich(app);
            assertThat(spotify.calls("/v1/")).isZero();
            assertThat(logs.text()).doesNotContain(SECRET).doesNotContain("Bearer ");
        }
    }

    @Test
    void anImportIsFollowedByAnEnrichmentRunOfItsOwn() throws Exception {
        Map<String, String> scheduled = Map.of("encore.enrich.scheduled", "true", "encore.enrich.cron", "0 0 0 1 1 ? 2099");
        try (EncoreApp app = app("batch", spotify, scheduled)) {
            Path sample = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
            app.camel().createProducerTemplate().request("direct:import-file", ex -> {
                ex.getMessage().setBody(sample.toFile());
                ex.getMessage().setHeader(Headers.SOURCE_PATH, sample.toString());
                ex.getMessage().setHeader(Headers.USER, "erin");
            });
            await("the tracks described").atMost(WAIT).until(() -> app.count("SELECT COUNT(*) FROM track") == trackIds.size());
            assertThat(spotify.calls("GET /v1/tracks?")).isEqualTo(ceil(trackIds.size(), 50));
            // nothing of the import (user, file path, report) travels to Spotify
            assertThat(spotify.headerNamesSeen()).contains("authorization")
                    .noneMatch(h -> h.startsWith("encore") || h.startsWith("camel"));
        }
    }

    @Test
    void nameOnlyStreamsAreLookedUpOnceBySearchAndOnlyAnExactMatchCounts() throws Exception {
        String known = id("tk", 1), cafe = id("tk", 2), live = id("tk", 3);
        spotify.addArtist(id("ka", 1), "Known Artist", List.of()).addArtist(id("ob", 1), "Other Band", List.of());
        spotify.addTrack(known, "Known Song", id("al", 0), List.of(id("ka", 1)), "GBAAA0000001");
        spotify.addTrack(cafe, "Café del Mar", id("al", 0), List.of(id("ob", 1)), "GBAAA0000002");
        spotify.addTrack(live, "Other Song - Live", id("al", 0), List.of(id("ob", 1)), "GBAAA0000003");
        Path basic = java.nio.file.Files.writeString(java.nio.file.Files.createTempDirectory("basic").resolve("StreamingHistory_music_0.json"), """
                [{"endTime":"2024-01-01 10:00","artistName":"Known Artist","trackName":"Known Song","msPlayed":200000},
                 {"endTime":"2024-01-01 10:05","artistName":"KNOWN ARTIST","trackName":"known song","msPlayed":150000},
                 {"endTime":"2024-01-01 10:10","artistName":"Other Band","trackName":"Café del Mar","msPlayed":200000},
                 {"endTime":"2024-01-01 10:15","artistName":"Other Band","trackName":"Other Song","msPlayed":200000},
                 {"endTime":"2024-01-01 10:20","artistName":"Nobody","trackName":"Nothing","msPlayed":200000}]""");
        try (EncoreApp app = app("batch")) {
            app.camel().createProducerTemplate().request("direct:import-file", ex -> {
                ex.getMessage().setBody(basic.toFile());
                ex.getMessage().setHeader(Headers.SOURCE_PATH, basic.toString());
                ex.getMessage().setHeader(Headers.USER, "basic");
            });
            enrich(app);

            assertThat(spotify.calls("GET /v1/search")).as("one search per distinct artist and track").isEqualTo(4);
            assertThat(query("SELECT track_id FROM name_match WHERE track_id IS NOT NULL ORDER BY track_id"))
                    .containsExactly(known, cafe);
            assertThat(app.count("SELECT COUNT(*) FROM name_match WHERE track_id IS NULL")).as("near miss and unknown").isEqualTo(2);
            assertThat(app.count("SELECT COUNT(*) FROM track WHERE track_id IN ('" + known + "', '" + cafe + "')")).isEqualTo(2);

            spotify.resetCounters();
            enrich(app);
            assertThat(spotify.calls("/v1/")).isZero();
        }
    }

    @Test
    void artistsWithoutSpotifyGenresGetMusicBrainzGenresPolitelyAndOnce() throws Exception {
        // the shared guest artist comes without genres from Spotify; its first track's ISRC is USABC0
        try (FakeMusicBrainz mb = FakeMusicBrainz.start()
                .recording("USABC0", "Track 0", List.of(Map.entry("mb-artist-0", "Artist 0"), Map.entry("mb-guest", "Guest")))
                .artist("mb-guest", "Guest", Map.of(), Map.of("jazz", 5, "soul", 2, "seen live", 0));
             EncoreApp app = app("batch", spotify, Map.of("encore.musicbrainz.enabled", "true",
                     "encore.musicbrainz.base-url", mb.baseUrl()))) {
            enrich(app);

            assertThat(query("SELECT n.name FROM artist_genre g JOIN genre n ON n.genre_id = g.genre_id "
                    + "WHERE g.artist_id = '" + id("ar", 9999) + "' AND g.source = 'musicbrainz' ORDER BY n.name"))
                    .containsExactly("jazz", "soul");
            assertThat(app.count("SELECT COUNT(*) FROM artist_genre WHERE source = 'musicbrainz'")).isEqualTo(2);
            List<FakeMusicBrainz.Request> calls = mb.requests();
            assertThat(calls).extracting(FakeMusicBrainz.Request::pathAndQuery).containsExactly(
                    "/ws/2/isrc/USABC0?inc=artist-credits&fmt=json", "/ws/2/artist/mb-guest?inc=genres+tags&fmt=json");
            assertThat(calls).allSatisfy(r -> assertThat(r.userAgent()).startsWith("Encore/"));
            assertThat(calls.get(1).nanos() - calls.get(0).nanos()).as("at most one request per second")
                    .isGreaterThanOrEqualTo(950_000_000L);

            enrich(app);
            assertThat(mb.requests()).as("looked up once").hasSize(2);
        }
    }

    @Test
    void aMusicBrainzFailureStandsTheGenresRunDownAndTheArtistsWaitForTheNextRun() throws Exception {
        spotify.addArtist(id("ar", 0), "Artist 0", List.of()); // a second artist without Spotify genres
        try (FakeMusicBrainz mb = FakeMusicBrainz.start().unavailable(503)
                .recording("USABC0", "Track 0", List.of(Map.entry("mb-artist-0", "Artist 0"), Map.entry("mb-guest", "Guest")))
                .artist("mb-artist-0", "Artist 0", Map.of("shoegaze", 1), Map.of())
                .artist("mb-guest", "Guest", Map.of("jazz", 1), Map.of());
             EncoreApp app = app("batch", spotify, Map.of("encore.musicbrainz.enabled", "true",
                     "encore.musicbrainz.base-url", mb.baseUrl()))) {
            enrich(app);
            assertThat(mb.requests()).as("no call after the first failure").hasSize(1);
            assertThat(app.count("SELECT COUNT(*) FROM musicbrainz_lookup")).as("nobody marked as looked up").isZero();
            assertThat(app.count("SELECT COUNT(*) FROM track")).as("Spotify's work is kept").isEqualTo(trackIds.size());

            mb.unavailable(0);
            enrich(app);
            assertThat(app.count("SELECT COUNT(*) FROM musicbrainz_lookup")).isEqualTo(2);
            assertThat(app.count("SELECT COUNT(*) FROM artist_genre WHERE source = 'musicbrainz'")).isEqualTo(2);
        }
    }

    @Test
    void genresAreLookedUpWithoutASpotifyClientId() throws Exception {
        try (EncoreApp app = app("batch")) {
            enrich(app); // Spotify describes the artists; Guest has no Spotify genres
        }
        try (FakeMusicBrainz mb = FakeMusicBrainz.start()
                .recording("USABC0", "Track 0", List.of(Map.entry("mb-guest", "Guest")))
                .artist("mb-guest", "Guest", Map.of("jazz", 1), Map.of());
             EncoreApp app = app("batch", spotify, Map.of("encore.spotify.client-id", "",
                     "encore.musicbrainz.enabled", "true", "encore.musicbrainz.base-url", mb.baseUrl()))) {
            spotify.resetCounters();
            enrich(app);
            assertThat(spotify.calls("/v1/")).isZero();
            assertThat(app.count("SELECT COUNT(*) FROM artist_genre WHERE source = 'musicbrainz'")).isEqualTo(1);
        }
    }

    @Test
    void aRelinkedTrackIsStoredUnderTheIdThatWasAskedFor() throws Exception {
        String asked = trackIds.get(0);
        String answered = id("relinked", 1);
        spotify.addTrack(answered, "Track 0 (other release)", id("al", 0), List.of(id("ar", 0)), "USABC0");
        spotify.relink(asked, answered);
        try (EncoreApp app = app("single")) {
            enrich(app);
            assertThat(query("SELECT spotify_id FROM track WHERE track_id = '" + asked + "'")).containsExactly(answered);
            assertThat(app.count("SELECT COUNT(*) FROM track WHERE track_id = '" + answered + "'")).isZero();
        }
    }

    @Test
    void singleModeAsksOneIdPerCall() throws Exception {
        try (EncoreApp app = app("single")) {
            enrich(app);
            assertThat(spotify.calls("GET /v1/tracks/")).isEqualTo(trackIds.size());
            assertThat(spotify.calls("GET /v1/tracks?")).isZero();
            assertThat(app.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
        }
    }

    @Test
    void autoModeSwitchesToSingleCallsForGoodOnA403() throws Exception {
        spotify.batchEndpointsForbidden(true);
        try (EncoreApp app = app("auto")) {
            enrich(app);
            assertThat(spotify.calls("GET /v1/tracks?")).isEqualTo(1);
            assertThat(spotify.calls("GET /v1/tracks/")).isEqualTo(trackIds.size());
            assertThat(spotify.calls("GET /v1/albums?")).isZero();
            assertThat(app.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
            var metrics = app.camel().getRegistry().lookupByNameAndType("metricsRegistry",
                    io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
            assertThat(metrics.get("encore.spotify.batch.forbidden").gauge().value()).isEqualTo(1.0);
            assertThat(metrics.get("encore.spotify.calls").tag("endpoint", "GET /v1/tracks/{id}").counter().count())
                    .isEqualTo(trackIds.size());
        }
        query("DELETE FROM track WHERE track_id = '" + trackIds.get(0) + "'");
        spotify.resetCounters();
        try (EncoreApp restarted = app("auto")) { // the switch is remembered
            enrich(restarted);
            assertThat(spotify.calls("GET /v1/tracks?")).isZero();
            assertThat(spotify.calls("GET /v1/tracks/")).isEqualTo(1);
        }
    }

    @Test
    void a429PausesEveryCallUntilRetryAfterEvenAcrossARestart() throws Exception {
        spotify.rateLimitNext("GET /v1/tracks", 1, 86_400);
        try (EncoreApp app = app("batch")) {
            enrich(app);
            assertThat(spotify.calls("/v1/")).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM api_pause WHERE resume_at > CURRENT_TIMESTAMP + INTERVAL '23' HOUR"))
                    .isEqualTo(1);
            // and visible where operators look: the Prometheus registry behind /observe/metrics
            var metrics = app.camel().getRegistry().lookupByNameAndType("metricsRegistry",
                    io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
            assertThat(metrics.get("encore.spotify.pause.remaining").gauge().value()).isBetween(86_000.0, 86_400.0);
            assertThat(metrics.scrape()).contains("encore_spotify_pause_remaining_seconds");
            // and in the REST API
            var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.net.http.HttpClient.newHttpClient()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.baseUrl() + "/api/enrichment")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.path("enabled").asBoolean()).isTrue();
            assertThat(status.path("api_mode").asText()).isEqualTo("batch");
            assertThat(java.time.Instant.parse(status.path("paused_until").asText()))
                    .isAfter(java.time.Instant.now().plus(java.time.Duration.ofHours(23)));
        }
        try (EncoreApp restarted = app("batch")) {
            enrich(restarted);
            assertThat(spotify.calls("/v1/")).isEqualTo(1);
        }
        query("UPDATE api_pause SET resume_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE"); // the clock has moved past it
        try (EncoreApp later = app("batch")) {
            enrich(later);
            assertThat(later.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
        }
    }

    @Test
    void a401MidRunCostsOneNewTokenAndOneRetry() throws Exception {
        try (EncoreApp app = app("batch")) {
            enrich(app); // describes everything with a first token, which Encore keeps
            spotify.resetCounters();
            query("DELETE FROM track");
            query("DELETE FROM track_artist");
            spotify.expireAllTokens(); // Spotify revokes it while Encore still holds it
            enrich(app);
            assertThat(spotify.tokenRequests()).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
        }
    }

    @Test
    void a5xxStormIsRetriedABoundedNumberOfTimesAndNothingIsDropped() throws Exception {
        spotify.failNext("GET /v1/tracks", 4, 503, Map.of(), null); // a storm that outlasts one run's retries
        try (EncoreApp app = app("batch")) {
            enrich(app);
            // 1 call + 3 retries, then the run stands down instead of hammering a failing service
            assertThat(spotify.calls("/v1/")).isEqualTo(4);
            assertThat(app.count("SELECT COUNT(*) FROM track")).isZero();
            assertThat(app.count("SELECT COUNT(*) FROM unresolved_id")).isZero();
        }
        try (EncoreApp app = app("batch")) {
            spotify.resetCounters();
            enrich(app);
            assertThat(app.count("SELECT COUNT(*) FROM track")).isEqualTo(trackIds.size());
        }
    }

    @Test
    void unknownIdsAreRecordedOnceAndNotAskedAgain() throws Exception {
        FakeSpotify empty = FakeSpotify.start().credentials("encore-test", SECRET);
        try (empty; EncoreApp app = app("single", empty)) {
            enrich(app);
            assertThat(empty.calls("GET /v1/tracks/")).isEqualTo(trackIds.size());
            assertThat(app.count("SELECT COUNT(*) FROM unresolved_id WHERE kind = 'track' AND status_code = 404"))
                    .isEqualTo(trackIds.size());
            empty.resetCounters();
            enrich(app);
            assertThat(empty.calls("/v1/")).isZero();
        }
    }

    private EncoreApp app(String mode) throws Exception {
        return app(mode, spotify);
    }

    private EncoreApp app(String mode, FakeSpotify api) throws Exception {
        return app(mode, api, Map.of());
    }

    private EncoreApp app(String mode, FakeSpotify api, Map<String, String> extra) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("encore.local.enabled", "false");
        p.put("encore.enrich.scheduled", "false");
        p.put("encore.spotify.client-id", "encore-test");
        p.put("encore.spotify.client-secret", SECRET);
        p.put("encore.spotify.api-base-url", api.baseUrl());
        p.put("encore.spotify.accounts-base-url", api.baseUrl());
        p.put("encore.spotify.api-mode", mode);
        p.put("encore.spotify.retry-delay-ms", "10");
        p.put("encore.musicbrainz.enabled", "false"); // never the real service from a test
        p.putAll(extra);
        return EncoreApp.start(db.url(), db.user(), p);
    }

    private static void enrich(EncoreApp app) {
        var result = app.camel().createProducerTemplate().request("direct:enrich", ex -> { });
        assertThat(result.getException()).isNull();
    }

    private static int ceil(int n, int d) {
        return (n + d - 1) / d;
    }

    private static String id(String prefix, int n) {
        String s = prefix + n;
        return s + "x".repeat(22 - s.length());
    }

    private List<String> query(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (!st.execute(sql)) {
                return out;
            }
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
