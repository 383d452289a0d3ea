package dev.encore.live;

import static dev.encore.spotify.FakeSpotifyListening.id;
import static dev.encore.spotify.FakeSpotifyListening.track;
import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.ResettingPort;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.intake.Headers;
import dev.encore.store.ListeningGaps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hourly extraction through the real routes and camel-http against the fake Web API, on H2:
 * which calls a tick makes (exact counts on the fake), what reaches the raw zone (byte for byte),
 * when cursors move, and what each kind of failure does.
 */
class LiveExtractionTest {
    private static final String RECENT = "GET /v1/me/player/recently-played";
    private static final String OWN = id("plown", 1);
    private static final String COLLAB = id("plcollab", 1);
    private static final String FOLLOWED = id("plfollowed", 1);

    @TempDir
    Path lake;
    private LiveFixture f;

    @BeforeEach
    void setUp() {
        f = new LiveFixture(TestDatabases.h2(), lake);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    /** Ann: 30 plays, her own playlist, one she collaborates on, one she follows, top items and 3 saved tracks. */
    private void ann() {
        f.users.connect("ann", "spotify-ann");
        f.listening.plays("spotify-ann", 0, 30, LiveFixture.START.minus(Duration.ofMinutes(10)));
        f.listening.playlist("spotify-ann", OWN, "spotify-ann", false, "own-1", List.of(track(1), track(2), track(3)));
        f.listening.playlist("spotify-ann", COLLAB, "spotify-bob", true, "collab-1", List.of(track(4), track(5)));
        f.listening.playlist("spotify-ann", FOLLOWED, "spotify-carl", false, "followed-1", List.of(track(6)));
        for (String range : List.of("short_term", "medium_term", "long_term")) {
            f.listening.top("spotify-ann", "tracks", range, List.of(track(1), track(7)));
            f.listening.top("spotify-ann", "artists", range, List.of(track(10), track(20)));
        }
        for (int i = 0; i < 3; i++) {
            f.listening.save("spotify-ann", track(40 + i), LiveFixture.START.minus(Duration.ofDays(i + 1)));
        }
    }

    private long newestPlayMs(String spotifyUser) throws Exception {
        var answers = f.listening.answers(spotifyUser, "/v1/me/player/recently-played");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answers.get(answers.size() - 1));
        return Instant.parse(json.path("items").get(0).path("played_at").asText()).toEpochMilli();
    }

    private String cursor(EncoreApp app, String user, String name) throws Exception {
        try (Connection c = f.db.connect(); var ps = c.prepareStatement(
                "SELECT cursor_value FROM live_cursor WHERE user_id = ? AND cursor_name = ?")) {
            ps.setString(1, user);
            ps.setString(2, name);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String status(EncoreApp app, long tick, String user) throws Exception {
        try (Connection c = f.db.connect(); var ps = c.prepareStatement(
                "SELECT status FROM live_poll WHERE tick_id = ? AND user_id = ?")) {
            ps.setLong(1, tick);
            ps.setString(2, user);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = f.db.connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    @Test
    @DisplayName("A first tick reads everything without a cursor, skips followed playlists, and writes exactly what Spotify sent")
    void firstTick() throws Exception {
        ann();
        try (LogCapture logs = LogCapture.open(); EncoreApp app = f.app(Map.of())) {
            long tick = LiveFixture.tick(app);

            assertThat(f.listening.calls("spotify-ann", RECENT + "?limit=50")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", RECENT + "?limit=50&after")).as("no cursor yet").isZero();
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/playlists")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + OWN + "/items")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + COLLAB + "/items")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + FOLLOWED)).as("not hers: not even asked").isZero();
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/top/tracks")).isEqualTo(3);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/top/artists")).isEqualTo(3);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/tracks")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/")).isEqualTo(11);
            assertThat(status(app, tick, "ann")).isEqualTo("polled");

            Path played = f.raw("recently-played", "ann").get(0);
            assertThat(lake.relativize(played).toString().replace('\\', '/'))
                    .isEqualTo("raw/spotify/recently-played/ann/2026/12/01/11/20261201T110100.000Z.json");
            assertThat(LiveFixture.bytes(played)).isEqualTo(f.listening.answers("spotify-ann", "/v1/me/player/recently-played").get(0));
            assertThat(f.raw("playlists", "ann")).singleElement().satisfies(p -> assertThat(LiveFixture.bytes(p))
                    .isEqualTo(f.listening.answers("spotify-ann", "/v1/me/playlists").get(0)));
            assertThat(f.raw("playlist-items", "ann")).extracting(p -> p.getFileName().toString())
                    .containsExactlyInAnyOrder("20261201T110100.000Z_" + OWN + "_0.json", "20261201T110100.000Z_" + COLLAB + "_0.json");
            assertThat(f.raw("top-tracks", "ann")).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                    "20261201T110100.000Z_short_term.json", "20261201T110100.000Z_medium_term.json", "20261201T110100.000Z_long_term.json");
            assertThat(f.raw("top-artists", "ann")).hasSize(3);
            assertThat(f.raw("saved-tracks", "ann")).singleElement().satisfies(p -> assertThat(LiveFixture.bytes(p))
                    .isEqualTo(f.listening.answers("spotify-ann", "/v1/me/tracks").get(0)));
            assertThat(app.count("SELECT raw_files FROM live_poll WHERE tick_id = ?", tick)).isEqualTo(11);

            assertThat(cursor(app, "ann", "recently-played")).isEqualTo(Long.toString(newestPlayMs("spotify-ann")));
            assertThat(cursor(app, "ann", "playlist:" + OWN)).isEqualTo("own-1");
            assertThat(cursor(app, "ann", "saved-tracks")).isEqualTo(LiveFixture.START.minus(Duration.ofDays(1)).toString());

            // no token in the logs or the lake
            String everything = logs.text() + String.join("\n", Files.walk(lake).filter(Files::isRegularFile)
                    .map(p -> new String(LiveFixture.bytes(p), StandardCharsets.UTF_8)).toList());
            assertThat(f.users.issuedTokens()).isNotEmpty().allSatisfy(t -> assertThat(everything).doesNotContain(t));
            assertThat(logs.text()).doesNotContain("Bearer ");
        }
    }

    @Test
    @DisplayName("A tick with nothing new makes one call: recently-played after the cursor; the library is read every 6 hours")
    void nothingNew() throws Exception {
        ann();
        try (EncoreApp app = f.app(Map.of())) {
            LiveFixture.tick(app);
            String after = cursor(app, "ann", "recently-played");
            f.listening.resetCounters();
            f.clock.advance(Duration.ofHours(1));
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", RECENT + "?limit=50&after=" + after)).isEqualTo(1);
            assertThat(f.raw("recently-played", "ann")).hasSize(2);

            // six hours after the first read the library is due: the playlists and the newest saved
            // tracks, but no playlist's items, since no snapshot changed
            f.listening.resetCounters();
            f.clock.advance(Duration.ofHours(5));
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/")).isEqualTo(3);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/playlists")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/tracks")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/")).isZero();

            // her own playlist changes: its items are read again, the collaborative one's are not
            f.listening.playlist("spotify-ann", OWN, "spotify-ann", false, "own-2", List.of(track(1), track(9)));
            f.listening.resetCounters();
            f.clock.advance(Duration.ofHours(6));
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + OWN + "/items")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + COLLAB + "/items")).isZero();
            assertThat(cursor(app, "ann", "playlist:" + OWN)).isEqualTo("own-2");
        }
    }

    @ParameterizedTest(name = "{0} plays since the last tick")
    @ValueSource(ints = {49, 50, 120})
    @DisplayName("Plays since the last tick: the raw file holds what Spotify returned (at most the 50 most recent), the cursor "
            + "moves to the newest, and a full page records a gap from the newest play stored to the oldest returned")
    void playsSinceTheLastTick(int plays) throws Exception {
        f.users.connect("ann", "spotify-ann");
        Instant newestStored = LiveFixture.START.minus(Duration.ofHours(2));
        f.listening.plays("spotify-ann", 0, 5, newestStored);
        // the test loads the raw files itself, each tick's before the next tick's, as the intake would in time
        try (EncoreApp app = f.app(Map.of("encore.raw.local-enabled", "false"))) {
            LiveFixture.tick(app);
            f.loadRaw(app);
            String before = cursor(app, "ann", "recently-played");
            // three minutes apart, all after the last tick (120 plays take six hours: a tick paused or missed meanwhile)
            Instant newest = LiveFixture.START.plus(Duration.ofHours(7)).minus(Duration.ofMinutes(5));
            f.listening.plays("spotify-ann", 1000, plays, newest);
            f.clock.advance(Duration.ofHours(7));
            f.listening.resetCounters();
            LiveFixture.tick(app);
            f.loadRaw(app);

            assertThat(f.listening.calls("spotify-ann", RECENT + "?limit=50&after=" + before)).isEqualTo(1);
            byte[] answer = f.listening.answers("spotify-ann", "/v1/me/player/recently-played").get(1);
            Path raw = f.raw("recently-played", "ann").get(1);
            assertThat(LiveFixture.bytes(raw)).isEqualTo(answer);
            var items = new com.fasterxml.jackson.databind.ObjectMapper().readTree(LiveFixture.bytes(raw)).path("items");
            int returned = Math.min(plays, 50);
            Instant oldestReturned = newest.minusSeconds(180L * (returned - 1));
            assertThat(items.size()).isEqualTo(returned);
            assertThat(items.get(0).path("played_at").asText()).isEqualTo("2026-12-01T17:56:00.000Z");
            assertThat(items.get(items.size() - 1).path("played_at").asText()).as("the oldest returned")
                    .isEqualTo(oldestReturned.toString().replace("Z", ".000Z"));
            assertThat(cursor(app, "ann", "recently-played")).isEqualTo(Long.toString(newest.toEpochMilli()));
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ann'")).isEqualTo(5 + returned);

            var gaps = app.camel().getRegistry().lookupByNameAndType("listeningGaps", ListeningGaps.class).openGaps("ann");
            int fullPages = app.camel().getRegistry().lookupByNameAndType("liveStats", LiveStats.class).fullPages();
            if (plays < 50) {
                assertThat(gaps).as("a page that is not full holds every play since the cursor").isEmpty();
                assertThat(fullPages).isZero();
            } else {
                // a full page: from the newest play stored (the last tick's) to the oldest play returned
                assertThat(gaps).singleElement().satisfies(gap -> {
                    assertThat(gap.from()).isEqualTo(newestStored.toString());
                    assertThat(gap.to()).isEqualTo(oldestReturned.toString());
                });
                assertThat(fullPages).isEqualTo(1);
                // every play Spotify no longer returns (the 70 oldest of 120) lies inside the gap, where an export will
                // find it; exactly 50 lose none, and their gap is opened all the same: no answer of the Web API tells
                // 50 from more (docs/live.md, "Gaps")
                List<Instant> lost = IntStream.range(0, plays - returned)
                        .mapToObj(i -> newest.minusSeconds(180L * (plays - 1 - i))).toList();
                assertThat(lost).hasSize(plays == 120 ? 70 : 0).allSatisfy(play -> assertThat(play)
                        .isAfter(newestStored).isBefore(oldestReturned));
            }
        }
    }

    @Test
    @DisplayName("A crash after the raw write and before the cursor moved re-reads the same page next tick, into a second raw file")
    void crashBetweenRawWriteAndCursor() throws Exception {
        ann();
        try (LogCapture logs = LogCapture.open(); EncoreApp app = f.app(Map.of())) {
            // the cursor store fails for recently-played only: the fault sits between the two steps
            sql("ALTER TABLE live_cursor ADD CONSTRAINT no_recent_cursor CHECK (cursor_name <> 'recently-played')");
            long first = LiveFixture.tick(app);
            assertThat(status(app, first, "ann")).isEqualTo("failed");
            assertThat(f.raw("recently-played", "ann")).hasSize(1);
            assertThat(cursor(app, "ann", "recently-played")).isNull();

            sql("ALTER TABLE live_cursor DROP CONSTRAINT no_recent_cursor");
            f.clock.advance(Duration.ofHours(1));
            long second = LiveFixture.tick(app);
            assertThat(status(app, second, "ann")).isEqualTo("polled");
            assertThat(f.listening.calls("spotify-ann", RECENT + "?limit=50&after")).as("the same page again").isZero();
            List<Path> files = f.raw("recently-played", "ann");
            assertThat(files).hasSize(2);
            assertThat(LiveFixture.bytes(files.get(1))).isEqualTo(LiveFixture.bytes(files.get(0)));
            assertThat(cursor(app, "ann", "recently-played")).isEqualTo(Long.toString(newestPlayMs("spotify-ann")));
            assertThat(logs.text()).contains("The poll of ann failed").doesNotContain("Bearer ");
            assertThat(f.users.issuedTokens()).allSatisfy(t -> assertThat(logs.text()).doesNotContain(t));
        }
    }

    @Test
    @DisplayName("A playlist that answers 403 after all is skipped; the user's other playlists are read and the poll succeeds")
    void forbiddenPlaylistItemsAreSkipped() throws Exception {
        ann();
        f.listening.failNext("spotify-ann", "/v1/playlists/" + OWN + "/items", 1, 403);
        try (EncoreApp app = f.app(Map.of())) {
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "ann")).isEqualTo("polled");
            assertThat(f.listening.calls("spotify-ann", "GET /v1/playlists/" + COLLAB + "/items")).isEqualTo(1);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/tracks")).isEqualTo(1);
            assertThat(cursor(app, "ann", "playlist:" + OWN)).as("asked again next time").isNull();
            assertThat(cursor(app, "ann", "playlist:" + COLLAB)).isEqualTo("collab-1");
        }
    }

    @Test
    @DisplayName("Top tracks and artists are read once a day (by the injected clock)")
    void topOnceADay() throws Exception {
        ann();
        try (EncoreApp app = f.app(Map.of())) {
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/top/")).isEqualTo(6);
            for (int hour = 1; hour < 24; hour++) {
                f.clock.advance(Duration.ofHours(1));
                LiveFixture.tick(app);
            }
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/top/")).as("not again within the day").isEqualTo(6);
            f.clock.advance(Duration.ofHours(1));
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/top/")).isEqualTo(12);
            assertThat(f.listening.calls("spotify-ann", RECENT)).isEqualTo(25);
        }
    }

    @Test
    @DisplayName("Saved tracks are read newest first and only until the first one already read")
    void savedTracksStopEarly() throws Exception {
        f.users.connect("ann", "spotify-ann");
        for (int i = 0; i < 120; i++) {
            f.listening.save("spotify-ann", track(i), LiveFixture.START.minus(Duration.ofMinutes(10L + i)));
        }
        try (EncoreApp app = f.app(Map.of())) {
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/tracks")).as("all 120 at first").isEqualTo(3);
            assertThat(f.raw("saved-tracks", "ann")).extracting(p -> p.getFileName().toString()).containsExactly(
                    "20261201T110100.000Z_0.json", "20261201T110100.000Z_100.json", "20261201T110100.000Z_50.json");

            Instant newest = LiveFixture.START.plus(Duration.ofHours(2));
            f.listening.save("spotify-ann", track(500), newest.minus(Duration.ofMinutes(1)));
            f.listening.save("spotify-ann", track(501), newest);
            f.listening.resetCounters();
            f.clock.advance(Duration.ofHours(6));
            LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-ann", "GET /v1/me/tracks")).isEqualTo(1);
            assertThat(cursor(app, "ann", "saved-tracks")).isEqualTo(newest.toString());
        }
    }

    @Test
    @DisplayName("A 401 costs one token refresh and one retry")
    void unauthorizedRefreshesOnce() throws Exception {
        ann();
        try (EncoreApp app = f.app(Map.of())) {
            LiveFixture.tick(app);
            f.users.expireToken("ann");
            f.listening.resetCounters();
            f.spotify.resetCounters();
            f.listening.plays("spotify-ann", 100, 3, LiveFixture.START.plus(Duration.ofMinutes(30)));
            f.clock.advance(Duration.ofHours(1));
            long tick = LiveFixture.tick(app);
            assertThat(f.spotify.calls(RECENT)).as("the 401 and the retry").isEqualTo(2);
            assertThat(f.listening.calls("spotify-ann", RECENT)).as("the retry, with the new token").isEqualTo(1);
            assertThat(f.users.refreshes("ann")).isEqualTo(2);
            assertThat(status(app, tick, "ann")).isEqualTo("polled");
            assertThat(cursor(app, "ann", "recently-played")).isEqualTo(Long.toString(newestPlayMs("spotify-ann")));
            assertThat(app.count("SELECT calls FROM live_poll WHERE tick_id = ?", tick)).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("A 401 whose refresh fails (the accounts service is down, or consent was revoked) ends only that user's poll")
    void unauthorizedAndTheRefreshFails() throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob");
        try (EncoreApp app = f.app(Map.of("encore.live.concurrency", "1"))) {
            LiveFixture.tick(app);
            f.users.expireToken("ann");
            f.users.accountsDown("ann");
            f.users.expireToken("bob");
            f.users.revoke("bob");
            f.clock.advance(Duration.ofHours(1));
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "ann")).isEqualTo("failed");
            assertThat(status(app, tick, "bob")).isEqualTo("reconnect");
            assertThat(f.users.needsReconnect("bob")).isTrue();
        }
    }

    @Test
    @DisplayName("A revoked user is skipped and counted as needing to reconnect; the others are polled")
    void revokedUserIsSkipped() throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob").revoke("bob");
        try (EncoreApp app = f.app(Map.of())) {
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "bob")).isEqualTo("reconnect");
            assertThat(status(app, tick, "ann")).isEqualTo("polled");
            assertThat(f.listening.calls("spotify-bob", "GET /v1/")).isZero();
            assertThat(f.users.needsReconnect("bob")).isTrue();
            f.clock.advance(Duration.ofHours(1));
            long next = LiveFixture.tick(app);
            assertThat(app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ?", next)).as("only ann").isEqualTo(1);
        }
    }

    @Test
    @DisplayName("A user whose token cannot be had (accounts service down, or anything unexpected) fails alone")
    void noTokenFailsOnlyThatUser() throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob").connect("cy", "spotify-cy");
        f.users.accountsDown("bob");
        f.users.broken("cy");
        try (EncoreApp app = f.app(Map.of("encore.live.concurrency", "1"))) {
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "bob")).isEqualTo("failed");
            assertThat(status(app, tick, "cy")).isEqualTo("failed");
            assertThat(status(app, tick, "ann")).isEqualTo("polled");
            assertThat(app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND note LIKE '%cannot be decrypted%'", tick))
                    .isEqualTo(1);
            assertThat(f.listening.calls("GET /v1/")).isEqualTo(f.listening.calls("spotify-ann", "GET /v1/"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP 503", "a connection closed without an answer"})
    @DisplayName("5xx or a dropped connection: bounded retries, then that user waits for the next tick while the others are polled")
    void failedCallsAreRetriedABoundedNumberOfTimes(String fault) throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob");
        f.listening.plays("spotify-bob", 200, 10, LiveFixture.START.minus(Duration.ofMinutes(3)));
        if (fault.equals("HTTP 503")) {
            f.listening.failNext("spotify-bob", "/v1/me/player/recently-played", 4, 503);
        } else {
            f.listening.dropNext("spotify-bob", "/v1/me/player/recently-played", 4);
        }
        try (EncoreApp app = f.app(Map.of())) {
            long tick = LiveFixture.tick(app);
            assertThat(f.listening.calls("spotify-bob", RECENT)).as("1 call + 3 retries").isEqualTo(4);
            assertThat(f.listening.calls("spotify-bob", "GET /v1/")).as("and nothing more this tick").isEqualTo(4);
            assertThat(status(app, tick, "bob")).isEqualTo("failed");
            assertThat(app.count("SELECT calls FROM live_poll WHERE tick_id = ? AND user_id = 'bob'", tick)).isEqualTo(4);
            assertThat(status(app, tick, "ann")).isEqualTo("polled");
            assertThat(f.raw("recently-played", "bob")).isEmpty();
            assertThat(cursor(app, "bob", "recently-played")).isNull();

            f.clock.advance(Duration.ofHours(1));
            long next = LiveFixture.tick(app);
            assertThat(status(app, next, "bob")).isEqualTo("polled");
            assertThat(f.raw("recently-played", "bob")).hasSize(1);
        }
    }

    @Test
    @DisplayName("Spotify resetting every connection, then refusing them: each user's call is retried a bounded number of times, "
            + "the tick ends with nothing written, and the next tick with Spotify back polls everyone")
    void connectionsResetOrRefused() throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob");
        f.listening.plays("spotify-bob", 200, 10, LiveFixture.START.minus(Duration.ofMinutes(3)));
        try (ResettingPort down = ResettingPort.open()) {
            try (EncoreApp app = f.app(Map.of("encore.spotify.api-base-url", down.baseUrl()))) {
                long reset = LiveFixture.tick(app);
                assertThat(app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'failed' AND calls = 4",
                        reset)).as("1 call + 3 retries each, then failed").isEqualTo(2);
                // every call reached the port; on a busy machine a client may give up on a connection
                // the port has not accepted yet, which it then counts after the tick
                assertThat(down.connections()).as("two users, 1 call + 3 retries each").isGreaterThanOrEqualTo(8);

                down.close(); // from now on the port refuses connections
                int accepted = down.connections();
                f.clock.advance(Duration.ofHours(1));
                long refused = LiveFixture.tick(app);
                assertThat(app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'failed' AND calls = 4",
                        refused)).as("1 call + 3 retries each, then failed").isEqualTo(2);
                assertThat(down.connections()).as("refused: none accepted").isEqualTo(accepted);
                assertThat(lake.resolve("raw")).doesNotExist();
                assertThat(cursor(app, "ann", "recently-played")).isNull();
            }
        }
        try (EncoreApp app = f.app(Map.of())) {
            f.clock.advance(Duration.ofHours(1));
            long back = LiveFixture.tick(app);
            assertThat(status(app, back, "ann")).isEqualTo("polled");
            assertThat(status(app, back, "bob")).isEqualTo("polled");
            assertThat(f.listening.callsPerUser(RECENT)).containsOnlyKeys("spotify-ann", "spotify-bob")
                    .allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
        }
    }

    @Test
    @DisplayName("A 429 with Retry-After 86400 pauses the app: the next tick and enrichment both make no call")
    void rateLimitFromTheLiveFlowStopsEnrichmentToo() throws Exception {
        ann();
        f.spotify.rateLimitNext(RECENT, 1, 86_400);
        try (EncoreApp app = f.app(Map.of("encore.spotify.client-id", "fake-client-id",
                "encore.spotify.client-secret", "fake-client-secret"))) {
            importStreams(app);
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "ann")).isEqualTo("paused");
            assertThat(f.spotify.calls("/v1/")).isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM api_pause WHERE resume_at > CURRENT_TIMESTAMP + INTERVAL '23' HOUR"))
                    .isEqualTo(1);

            f.clock.advance(Duration.ofHours(1));
            long next = LiveFixture.tick(app);
            assertThat(status(app, next, "ann")).isEqualTo("paused");
            var result = app.camel().createProducerTemplate().request("direct:enrich", ex -> { });
            assertThat(result.getException()).isNull();
            assertThat(f.spotify.calls("/v1/")).as("neither the tick nor enrichment called").isEqualTo(1);
            assertThat(app.count("SELECT COUNT(*) FROM track")).isZero();
        }
    }

    @Test
    @DisplayName("A 429 to enrichment pauses the live flow too")
    void rateLimitFromEnrichmentStopsTheLiveFlow() throws Exception {
        ann();
        f.spotify.rateLimitNext("GET /v1/tracks", 1, 3600);
        try (EncoreApp app = f.app(Map.of("encore.spotify.client-id", "fake-client-id",
                "encore.spotify.client-secret", "fake-client-secret", "encore.spotify.api-mode", "batch"))) {
            importStreams(app);
            app.camel().createProducerTemplate().request("direct:enrich", ex -> { });
            assertThat(f.spotify.calls("GET /v1/tracks")).isEqualTo(1);
            long tick = LiveFixture.tick(app);
            assertThat(status(app, tick, "ann")).isEqualTo("paused");
            assertThat(f.listening.calls("GET /v1/")).isZero();
        }
    }

    @Test
    @DisplayName("QUOTA_EXCEEDED is recorded as a quota pause with its resume time")
    void quotaExceededIsAQuotaPause() throws Exception {
        ann();
        f.spotify.quotaExceededNext(RECENT, 1, 86_400);
        try (EncoreApp app = f.app(Map.of())) {
            LiveFixture.tick(app);
            assertThat(app.count("SELECT COUNT(*) FROM api_pause WHERE reason LIKE '%quota exceeded%Retry-After 86400 s'"))
                    .isEqualTo(1);
        }
    }

    @Test
    @DisplayName("The daily call budget defers playlists, top items and saved tracks first, recently-played last, and says so")
    void dailyBudget() throws Exception {
        ann();
        f.users.connect("bob", "spotify-bob");
        try (EncoreApp app = f.app(Map.of("encore.live.daily-call-budget", "4"))) {
            long tick = LiveFixture.tick(app);
            assertThat(f.listening.calls(RECENT)).isEqualTo(2);
            assertThat(f.listening.calls("GET /v1/")).isEqualTo(4);
            assertThat(f.listening.calls("GET /v1/me/top/")).as("the first to wait").isZero();
            assertThat(app.count("SELECT SUM(deferred) FROM live_poll WHERE tick_id = ?", tick)).isPositive();

            f.clock.advance(Duration.ofHours(1));
            f.listening.resetCounters();
            long next = LiveFixture.tick(app);
            assertThat(f.listening.calls("GET /v1/")).as("the budget of the last 24 h is spent").isZero();
            assertThat(app.count("SELECT COUNT(*) FROM live_tick WHERE tick_id = ? AND budget_note LIKE "
                    + "'%recently-played deferred for 2 of 2 users%'", next)).isEqualTo(1);

            f.clock.advance(Duration.ofHours(24));
            LiveFixture.tick(app);
            assertThat(f.listening.calls(RECENT)).as("a day later, the budget is back").isEqualTo(2);
        }
    }

    @Test
    @DisplayName("Users of one replica are polled in parallel and each exactly once per tick")
    void manyUsersOncePerTick() throws Exception {
        f.users.connectMany("u", 25);
        IntStream.range(0, 25).forEach(i -> f.listening.plays("u" + i, i * 10, 3, LiveFixture.START.minusSeconds(60)));
        try (EncoreApp app = f.app(Map.of("encore.live.concurrency", "4"))) {
            long tick = LiveFixture.tick(app);
            assertThat(f.listening.callsPerUser(RECENT)).hasSize(25).allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
            assertThat(app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'polled'", tick)).isEqualTo(25);
        }
    }

    private static void importStreams(EncoreApp app) {
        Path sample = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        app.camel().createProducerTemplate().request("direct:import-file", ex -> {
            ex.getMessage().setBody(sample.toFile());
            ex.getMessage().setHeader(Headers.SOURCE_PATH, sample.toString());
            ex.getMessage().setHeader(Headers.USER, "erin");
        });
    }
}
