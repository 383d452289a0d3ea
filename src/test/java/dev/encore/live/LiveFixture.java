package dev.encore.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.TestClock;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.intake.Headers;
import dev.encore.spotify.FakeSpotify;
import dev.encore.spotify.FakeSpotifyListening;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;

/**
 * What the extraction's tests share: connected users ({@link TestUserTokens}), the fake Web API
 * with their listening ({@link FakeSpotifyListening} on a {@link FakeSpotify}), a clock that
 * moves only when told, a lake folder, and the real app on a test database.
 */
final class LiveFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-12-01T11:01:00Z");

    final TestUserTokens users = new TestUserTokens();
    final FakeSpotifyListening listening = users.listening();
    final FakeSpotify spotify = FakeSpotify.start().mount(listening);
    final TestClock clock = new TestClock(START);
    final TestDatabase db;
    final Path lake;

    LiveFixture(TestDatabase db, Path lake) {
        this.db = db;
        this.lake = lake;
    }

    /** The app with no schedules (ticks are triggered by the test), H2 or PostgreSQL, the fake and the lake. */
    EncoreApp app(Map<String, String> extra) throws Exception {
        return EncoreApp.start(db.url(), db.user(), properties(extra), Map.of("userTokens", users, "liveClock", clock));
    }

    /**
     * The app with the live schedule itself on: camel-quartz on the clustered JDBC job store, firing
     * by {@code cron}. On the system clock, not {@link #clock}: Quartz fires by the wall clock, and
     * ticks a second apart must write raw files under names of their own.
     */
    EncoreApp scheduledApp(String cron) throws Exception {
        return EncoreApp.start(db.url(), db.user(), properties(Map.of("encore.live.enabled", "true", "encore.live.cron", cron)),
                Map.of("userTokens", users));
    }

    private Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("encore.local.enabled", "false");
        p.put("encore.enrich.scheduled", "false");
        p.put("encore.live.enabled", "false");
        p.put("encore.live.daily-call-budget", "0");
        p.put("encore.live.concurrency", "2");
        p.put("encore.lake.dir", lake.toString());
        p.put("encore.spotify.api-base-url", spotify.baseUrl());
        p.put("encore.spotify.accounts-base-url", spotify.baseUrl());
        p.put("encore.spotify.retry-delay-ms", "10");
        p.put("encore.musicbrainz.enabled", "false");
        p.putAll(extra);
        return p;
    }

    /** One tick, run to its end on this app; its id. */
    static long tick(EncoreApp app) {
        Exchange result = app.camel().createProducerTemplate().request("direct:live-tick", ex -> { });
        assertThat(result.getException()).isNull();
        return result.getMessage().getHeader("EncoreLiveTick", Long.class);
    }

    /**
     * Loads every raw file of the lake into SQL through the raw intake's own route and claim, as
     * {@code encore live} does, oldest first per kind and user; files loaded before are skipped by
     * their claim. For apps started with {@code encore.raw.local-enabled=false}, whose loads the test
     * then orders itself.
     */
    void loadRaw(EncoreApp app) {
        try (Stream<Path> files = Files.walk(lake.resolve("raw"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList()) {
                Exchange loaded = app.camel().createProducerTemplate().request("direct:raw-load-local", ex -> {
                    ex.getMessage().setBody(file.toFile());
                    ex.getMessage().setHeader(Headers.SOURCE_PATH, lake.relativize(file).toString().replace('\\', '/'));
                });
                assertThat(loaded.getException()).as("loading " + file).isNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw files of one kind and user, oldest first. */
    List<Path> raw(String kind, String user) {
        Path dir = lake.resolve("raw/spotify/" + kind + "/" + user);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        spotify.close();
        db.close();
    }
}
