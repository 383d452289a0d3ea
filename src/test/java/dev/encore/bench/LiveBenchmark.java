package dev.encore.bench;

import static dev.encore.spotify.FakeSpotifyListening.track;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.EncoreApp;
import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.connect.SpotifyConnections;
import dev.encore.spotify.FakeSpotify;
import dev.encore.spotify.FakeSpotifyListening;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One tick of the hourly extraction for many connected users against the Spotify stub with a
 * per-call latency, on PostgreSQL, with one replica and with two: calls made versus the lower
 * bound, and wall time. A program, not a test. Usage:
 * bench/live.sh [--users N] [--latency-ms L] [--concurrency C] [--pg-url URL]
 *
 * <p>Per replica count: a first tick (every user's first connect, everything due; run without
 * latency, only its calls are reported), then, an hour later by the injected clock and with a
 * few new plays per user, the measured tick: the regular hourly one, where only recently-played
 * is due (the library every 6 hours, top items daily), so its lower bound is one call per user.
 *
 * <p>The users are connected as the connect flow leaves them, in the real connection store
 * ({@code SpotifyConnections}: refresh tokens AES-GCM encrypted in PostgreSQL, access tokens cached
 * by the replica that holds them); "refresh" counts the token requests a tick made to the stub's
 * accounts service (a replica renews the access token of a user it has not polled before).
 */
public final class LiveBenchmark {
    private static final Instant START = Instant.parse("2026-12-01T11:01:00Z");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--users", "1000", "--latency-ms", "100", "--concurrency", "4",
                "--pg-url", "jdbc:postgresql://127.0.0.1:5432/postgres"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int users = Integer.parseInt(o.get("--users"));
        int latency = Integer.parseInt(o.get("--latency-ms"));
        int concurrency = Integer.parseInt(o.get("--concurrency"));
        System.out.printf("Live benchmark: %d connected users, Spotify stub with %d ms latency per API call, PostgreSQL, "
                + "%d workers per replica%n", users, latency, concurrency);
        System.out.printf("%-9s %-22s %8s %12s %10s %10s %8s%n", "replicas", "tick", "calls", "lower bound", "seconds", "users/s",
                "refresh");
        for (int replicas = 1; replicas <= 2; replicas++) {
            run(replicas, users, latency, concurrency, o.get("--pg-url"));
        }
    }

    private static void run(int replicas, int n, int latencyMs, int concurrency, String pgUrl) throws Exception {
        Path lake = Files.createTempDirectory("encore-live-bench");
        FakeSpotify spotify = FakeSpotify.start();
        FakeSpotifyListening listening = new FakeSpotifyListening(spotify::userOfToken);
        spotify.mount(listening);
        TestClock clock = new TestClock(START);
        for (int i = 0; i < n; i++) {
            String u = "u" + i;
            listening.plays(u, i * 10, 20, START.minusSeconds(300));
            listening.playlist(u, FakeSpotifyListening.id("own", i), u, false, "s1", List.of(track(i), track(i + 1)));
            listening.playlist(u, FakeSpotifyListening.id("followed", i), "someone-else", false, "f1", List.of(track(i + 2)));
            listening.save(u, track(i + 3), START.minus(Duration.ofDays(3)));
            for (String range : List.of("short_term", "medium_term", "long_term")) {
                listening.top(u, "tracks", range, List.of(track(i)));
                listening.top(u, "artists", range, List.of(track(i)));
            }
        }
        try (spotify; TestDatabase db = TestDatabases.postgres(pgUrl, "postgres", "", "encore_bench_")) {
            Map<String, String> p = new HashMap<>();
            p.put("encore.local.enabled", "false");
            p.put("encore.enrich.scheduled", "false");
            p.put("encore.live.enabled", "true");
            p.put("encore.live.cron", "0 0 0 1 1 ? 2099");
            p.put("encore.live.work-poll-ms", "200");
            p.put("encore.live.concurrency", Integer.toString(concurrency));
            p.put("encore.live.daily-call-budget", "0");
            p.put("encore.lake.dir", lake.toString());
            p.put("encore.spotify.api-base-url", spotify.baseUrl());
            p.put("encore.spotify.accounts-base-url", spotify.baseUrl());
            p.put("encore.musicbrainz.enabled", "false");
            p.put("encore.db.pool-size", Integer.toString(concurrency + 6));
            // the real connection store: refresh tokens encrypted in spotify_connection, access tokens
            // renewed at the stub's accounts service by the public PKCE client's id
            p.put("encore.spotify.client-id", FakeSpotify.DEFAULT_CLIENT_ID);
            p.put("encore.secret-key", Base64.getEncoder().encodeToString(new byte[32]));
            List<EncoreApp> apps = new ArrayList<>();
            try {
                for (int r = 0; r < replicas; r++) {
                    p.put("encore.scheduler.instance-id", "replica-" + r);
                    apps.add(EncoreApp.start(db.url(), db.user(), p, Map.of("liveClock", clock)));
                }
                connect(apps.get(0), spotify, n);
                tick(apps.get(0), spotify, listening, replicas, "first connect (0 ms)", 10L * n);
                clock.advance(Duration.ofHours(1));
                for (int i = 0; i < n; i++) {
                    listening.plays("u" + i, 50_000 + i * 10, 3, START.plus(Duration.ofMinutes(50)));
                }
                spotify.latency(Duration.ofMillis(latencyMs));
                tick(apps.get(0), spotify, listening, replicas, "hourly (" + latencyMs + " ms)", n);
            } finally {
                apps.forEach(EncoreApp::close);
            }
        }
    }

    /**
     * Users u0..u(n-1) as the connect flow leaves them (SpotifyConnections.save of the stub's grant):
     * the replica that stored them holds their access tokens, the other renews them at first use.
     */
    private static void connect(EncoreApp app, FakeSpotify spotify, int n) throws Exception {
        SpotifyConnections connections = app.camel().getRegistry().lookupByNameAndType("spotifyConnections",
                SpotifyConnections.class);
        Set<String> scopes = Set.of("user-read-recently-played", "user-top-read", "playlist-read-private",
                "playlist-read-collaborative", "user-library-read");
        for (int i = 0; i < n; i++) {
            JsonNode grant = spotify.consentedGrant("u" + i, scopes);
            connections.save("u" + i, new SpotifyConnections.Grant("u" + i, "User " + i, grant.path("scope").asText(),
                    grant.path("access_token").asText(), grant.path("refresh_token").asText(), grant.path("expires_in").asLong()));
        }
    }

    /** Opens a tick on one replica and waits until every user of it was polled, whichever replica did it. */
    private static void tick(EncoreApp app, FakeSpotify spotify, FakeSpotifyListening listening, int replicas, String label,
            long lowerBound) throws Exception {
        listening.resetCounters();
        spotify.resetCounters();
        long start = System.nanoTime();
        long tick = app.camel().createProducerTemplate().request("direct:live-tick", ex -> { })
                .getMessage().getHeader("EncoreLiveTick", Long.class);
        long users = app.count("SELECT COUNT(*) FROM live_tick WHERE tick_id = ?", tick) == 1
                ? app.count("SELECT users FROM live_tick WHERE tick_id = ?", tick) : 0;
        while (app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status IN ('open', 'claimed')", tick) > 0) {
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long polled = app.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'polled'", tick);
        int calls = listening.calls("GET /v1/");
        System.out.printf("%-9d %-22s %8d %12d %10.1f %10.0f %8d%s%n", replicas, label, calls, lowerBound, seconds,
                polled / seconds, spotify.tokenRequests(),
                polled == users ? "" : "   !!!!! FAIL: polled " + polled + " of " + users);
        if (replicas > 1) {
            System.out.printf("%-9s %-22s %s%n", "", "", "users per replica: " + app.count(
                    "SELECT COUNT(DISTINCT claimed_by) FROM live_poll WHERE tick_id = ?", tick) + " replicas took part");
        }
    }
}
