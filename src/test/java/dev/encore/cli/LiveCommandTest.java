package dev.encore.cli;

import static dev.encore.spotify.FakeSpotifyListening.track;
import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreTestAccess;
import dev.encore.TestDatabases;
import dev.encore.live.TestUserTokens;
import dev.encore.spotify.FakeSpotify;
import dev.encore.spotify.FakeSpotifyListening;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar encore.jar live}: the summary it prints and the exit codes scripts rely on. */
class LiveCommandTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TestUserTokens users = new TestUserTokens();
    private final FakeSpotifyListening listening = users.listening();
    private FakeSpotify spotify;

    @BeforeEach
    void start() {
        spotify = FakeSpotify.start().mount(listening);
        Map.of("encore.spotify.api-base-url", spotify.baseUrl(), "encore.spotify.retry-delay-ms", "10",
                "encore.lake.dir", tmp.resolve("lake").toString(), "encore.musicbrainz.enabled", "false",
                "encore.live.daily-call-budget", "0").forEach(System::setProperty);
        users.connect("ann", "spotify-ann").connect("bob", "spotify-bob").connect("cy", "spotify-cy").revoke("cy");
        Instant now = Instant.now();
        listening.plays("spotify-ann", 0, 7, now.minusSeconds(600)).plays("spotify-bob", 100, 3, now.minusSeconds(300));
        listening.save("spotify-ann", track(1), now.minusSeconds(86_400));
    }

    @AfterEach
    void stop() {
        for (String key : new String[] {"encore.spotify.api-base-url", "encore.spotify.retry-delay-ms", "encore.lake.dir",
                "encore.musicbrainz.enabled", "encore.live.daily-call-budget"}) {
            System.clearProperty(key);
        }
        spotify.close();
    }

    private int live() throws Exception {
        return new LiveCommand(CommandLine.parse("live", "--db", "jdbc:h2:file:" + tmp.resolve("db/encore")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("userTokens", users)).run();
    }

    @Test
    @DisplayName("Every user polled or needing to reconnect: exit 0 and a summary of calls, raw files, plays and users")
    void summary() throws Exception {
        assertThat(live()).isZero();
        assertThat(out.toString()).containsPattern("GET /v1/me/player/recently-played +2 call\\(s\\)")
                .containsPattern("GET /v1/me/top/tracks +6 call\\(s\\)")
                .contains(": 18 call(s), 18 raw file(s) written, 10 play(s) in the answers")
                .contains("users: 2 polled, 1 need to reconnect, 0 failed, 0 paused")
                // the 10 plays are new to an empty warehouse; a first connect opens no gap
                .contains("loaded: 18 raw file(s), 10 play(s) new to the warehouse, 0 gap(s) opened");
        assertThat(users.needsReconnect("cy")).isTrue();
        assertThat(TestDatabases.count("jdbc:h2:file:" + tmp.resolve("db/encore"), "sa",
                "SELECT COUNT(*) FROM stream WHERE source = 'api'")).isEqualTo(10);
        // a second tick: nothing new, nothing loaded twice
        out.reset();
        assertThat(live()).isZero();
        assertThat(out.toString()).contains("0 play(s) new to the warehouse");
        assertThat(TestDatabases.count("jdbc:h2:file:" + tmp.resolve("db/encore"), "sa",
                "SELECT COUNT(*) FROM stream WHERE source = 'api'")).isEqualTo(10);
    }

    @Test
    @DisplayName("A user that failed: exit 1")
    void aFailedUser() throws Exception {
        listening.failNext("spotify-bob", "/v1/me/player/recently-played", 10, 502);
        assertThat(live()).isEqualTo(1);
        assertThat(out.toString()).contains("users: 1 polled, 1 need to reconnect, 1 failed, 0 paused");
        assertThat(listening.calls("spotify-bob", "GET /v1/")).as("1 call + 3 retries").isEqualTo(4);
    }

    @Test
    @DisplayName("Spotify's daily quota is spent: exit 0, and the quota pause with its resume time")
    void quotaPause() throws Exception {
        spotify.quotaExceededNext("GET /v1/me/player/recently-played", 1, 86_400);
        // one user at a time: with several at once, one may finish before the 429 of another pauses the tick
        System.setProperty("encore.live.concurrency", "1");
        try {
            assertThat(live()).isZero();
        } finally {
            System.clearProperty("encore.live.concurrency");
        }
        assertThat(out.toString()).containsPattern("Spotify asked for a pause: no call before 20\\d\\d-\\d\\d-\\d\\dT")
                .contains("(HTTP 429 (quota exceeded), Retry-After 86400 s)")
                // nobody is polled after the 429; cy is paused too, or found to need reconnecting if asked first
                .containsPattern("users: 0 polled, (0 need to reconnect, 0 failed, 3|1 need to reconnect, 0 failed, 2) paused");
    }

    @Test
    @DisplayName("Bad arguments exit 2; with no account connected, live polls no one and exits 0")
    void badArgumentsAndNoConnections() throws Exception {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(EncoreTestAccess.run(new String[] {"live", "--user", "ann"}, o, e)).isEqualTo(2);
        assertThat(EncoreTestAccess.run(new String[] {"live", "now"}, o, e)).isEqualTo(2);
        assertThat(err.toString()).contains("'live' has no option --user").contains("unexpected argument 'now'");
        assertThat(EncoreTestAccess.run(new String[] {"live", "--db", "jdbc:h2:file:" + tmp.resolve("db2/encore")}, o, e))
                .isZero();
        assertThat(out.toString()).contains("users: 0 polled");
        assertThat(EncoreTestAccess.run(new String[] {"--help"}, o, e)).isZero();
        assertThat(out.toString()).contains("live [--db JDBC_URL]");
    }
}
