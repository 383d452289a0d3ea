package dev.encore.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.connect.TestConnections;
import dev.encore.spotify.FakeSpotify;
import dev.encore.spotify.FakeSpotifyListening;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live half end to end with nothing of Encore's stood in for: an account connected through the
 * real connect flow, the hourly tick polling it with the tokens the real store keeps (refreshed
 * through the fake accounts service), the raw zone written and loaded into SQL by the raw intake,
 * and a revoked consent ending in "needs to reconnect" for the API and for the next tick.
 */
class ConnectedListeningTest {
    private static final String SPOTIFY_USER = "ann-spotify";

    @TempDir
    Path tmp;
    private FakeSpotify spotify;
    private FakeSpotifyListening listening;
    private TestDatabase db;
    private EncoreApp app;
    private Path lake;

    @BeforeEach
    void start() throws Exception {
        spotify = FakeSpotify.start();
        listening = new FakeSpotifyListening(spotify::userOfToken);
        spotify.mount(listening);
        int port = EncoreApp.freePort();
        spotify.registerRedirectUri("http://127.0.0.1:" + port + "/callback").addUser(SPOTIFY_USER, "Ann");
        db = TestDatabases.create("postgresql");
        lake = tmp.resolve("lake");
        Map<String, String> p = new HashMap<>();
        p.put("camel.server.port", Integer.toString(port));
        p.put("encore.local.enabled", "false");
        p.put("encore.enrich.scheduled", "false");
        p.put("encore.live.enabled", "false"); // the test ticks
        p.put("encore.live.daily-call-budget", "0");
        p.put("encore.lake.dir", lake.toString());
        p.put("encore.spotify.client-id", FakeSpotify.DEFAULT_CLIENT_ID);
        p.put("encore.spotify.client-secret", FakeSpotify.DEFAULT_CLIENT_SECRET);
        p.put("encore.spotify.accounts-base-url", spotify.baseUrl());
        p.put("encore.spotify.api-base-url", spotify.baseUrl());
        p.put("encore.spotify.retry-delay-ms", "10");
        p.put("encore.musicbrainz.enabled", "false");
        byte[] key = new byte[32];
        key[0] = 7;
        p.put("encore.secret-key", Base64.getEncoder().encodeToString(key));
        app = EncoreApp.start(db.url(), db.user(), p);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        db.close();
        spotify.close();
    }

    @Test
    @DisplayName("A connected account is polled with the stored tokens; a revoked one needs reconnecting and is left alone")
    void connectPollRevoke() throws Exception {
        TestConnections.connect(app.baseUrl(), "ann");
        listening.plays(SPOTIFY_USER, 0, 3, Instant.now().minusSeconds(60));

        tick();
        List<Path> raw = raw("recently-played", "ann");
        assertThat(raw).hasSize(1);
        List<byte[]> answers = listening.answers(SPOTIFY_USER, "/v1/me/player/recently-played");
        assertThat(Files.readAllBytes(raw.get(0))).isEqualTo(answers.get(answers.size() - 1));
        assertThat(new ObjectMapper().readTree(raw.get(0).toFile()).path("items")).hasSize(3);
        assertThat(db.count("SELECT COUNT(*) FROM live_poll WHERE user_id = 'ann' AND status = 'polled'")).isEqualTo(1);
        // the raw intake finds the new file in the lake and loads its plays, flagged as estimates
        await().atMost(Duration.ofMinutes(2)).until(() -> db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ann'") == 3);
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ann' AND source = 'api' AND ms_played_estimated = TRUE"))
                .isEqualTo(3);

        // the person withdraws Encore's access at Spotify: its tokens die, the refresh is refused
        spotify.revoke(SPOTIFY_USER);
        tick();
        assertThat(db.count("SELECT COUNT(*) FROM spotify_connection WHERE user_id = 'ann' AND status = 'reconnect'"))
                .isEqualTo(1);
        JsonNode ann = users().findValues("users").get(0).findParents("user").stream()
                .filter(u -> u.path("user").asText().equals("ann")).findFirst().orElseThrow();
        assertThat(ann.toString()).contains("needs_reconnect");

        // and the next tick leaves the account alone: not one call for it
        listening.resetCounters();
        tick();
        assertThat(listening.calls(SPOTIFY_USER, "/v1/")).isZero();
    }

    private void tick() {
        Exchange result = app.camel().createProducerTemplate().request("direct:live-tick", ex -> { });
        assertThat(result.getException()).isNull();
    }

    private List<Path> raw(String kind, String user) throws Exception {
        Path dir = lake.resolve("raw/spotify/" + kind + "/" + user);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private JsonNode users() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/users"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
