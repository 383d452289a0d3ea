package dev.encore.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.live.LiveTicks.Claim;
import dev.encore.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas on one PostgreSQL database share a tick's users, and each user is polled exactly once
 * per tick: the claims (conditional UPDATEs) on their own, then two real apps.
 */
class LiveReplicasTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String RECENT = "GET /v1/me/player/recently-played";

    @TempDir
    Path lake;

    @Test
    @DisplayName("Two claimants on one database get each user of a tick once; an abandoned claim is taken over after the lease")
    void claimsAreExclusiveAndExpire() throws Exception {
        TestUserTokens users = new TestUserTokens().connectMany("u", 6);
        TestClock clock = new TestClock(LiveFixture.START);
        try (TestDatabase pg = TestDatabases.create("postgresql");
             Database db = Database.open(pg.url(), pg.user(), pg.password(), 4)) {
            LiveTicks a = new LiveTicks(db.dataSource(), users, clock, Duration.ofMinutes(15), 0, "replica-a");
            LiveTicks b = new LiveTicks(db.dataSource(), users, clock, Duration.ofMinutes(15), 0, "replica-b");
            long tick = a.open();
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                claims.add(a.claimNext());
                claims.add(b.claimNext());
            }
            assertThat(claims).doesNotContainNull().extracting(Claim::user).containsExactlyInAnyOrder("u0", "u1", "u2", "u3", "u4", "u5");
            assertThat(a.claimNext()).isNull();
            assertThat(b.claimNext()).isNull();

            // replica-a dies holding u0's claim (unfinished); replica-b finishes its own
            for (Claim c : claims.subList(0, claims.size())) {
                if (!c.user().equals("u0")) {
                    (claims.indexOf(c) % 2 == 0 ? a : b).finish(c, "polled", 1, 1, 0, null);
                }
            }
            assertThat(b.claimNext()).as("still within the lease").isNull();
            assertThat(a.state(tick).finished()).isFalse();
            clock.advance(Duration.ofMinutes(16));
            Claim takenOver = b.claimNext();
            assertThat(takenOver).isEqualTo(new Claim(tick, "u0"));
            b.finish(takenOver, "polled", 1, 1, 0, null);
            // the dead replica's late finish does not overwrite the one who took over
            a.finish(new Claim(tick, "u0"), "failed", 9, 9, 0, "late");
            assertThat(a.state(tick).count("polled")).isEqualTo(6);
            assertThat(a.state(tick).finished()).isTrue();

            // a month on, a new tick forgets this one
            clock.advance(LiveTicks.KEPT.plusDays(1));
            long later = a.open();
            assertThat(a.state(tick).users()).isEmpty();
            assertThat(a.state(later).count("open")).isEqualTo(6);
        }
    }

    @Test
    @DisplayName("Two apps on one PostgreSQL database: a tick opened on one is shared by both, and each user is polled exactly once")
    void twoAppsShareATick() throws Exception {
        try (LiveFixture f = new LiveFixture(TestDatabases.create("postgresql"), lake)) {
            f.users.connectMany("u", 20);
            IntStream.range(0, 20).forEach(i -> f.listening.plays("u" + i, i * 10, 2, LiveFixture.START.minusSeconds(60)));
            Map<String, String> replica = Map.of("encore.live.enabled", "true", "encore.live.cron", "0 0 0 1 1 ? 2099",
                    "encore.live.work-poll-ms", "100", "encore.live.concurrency", "1");
            try (EncoreApp a = f.app(with(replica, "encore.scheduler.instance-id", "replica-a"));
                 EncoreApp b = f.app(with(replica, "encore.scheduler.instance-id", "replica-b"))) {
                // each replica's one worker waits in a call: both have claimed a user of the same tick
                f.listening.hold();
                long tick = a.camel().createProducerTemplate().request("direct:live-open-tick", ex -> { })
                        .getMessage().getHeader("EncoreLiveTick", Long.class);
                await("a worker of each replica in a call").atMost(WAIT).until(() -> f.listening.waiting() == 2);
                f.listening.release();
                await("every user polled").atMost(WAIT).until(() -> a.count(
                        "SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'polled'", tick) == 20);

                assertThat(f.listening.callsPerUser(RECENT)).hasSize(20).allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
                Set<String> claimants = new HashSet<>();
                for (String r : List.of("replica-a", "replica-b")) {
                    if (a.count("SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND claimed_by = ?", tick, r) > 0) {
                        claimants.add(r);
                    }
                }
                assertThat(claimants).containsExactlyInAnyOrder("replica-a", "replica-b");
                assertThat(f.raw("recently-played", "u7")).hasSize(1);

                // an hour later, from the cursors (moved on PostgreSQL by either replica): once more each, after the cursor
                f.clock.advance(Duration.ofHours(1));
                long next = b.camel().createProducerTemplate().request("direct:live-open-tick", ex -> { })
                        .getMessage().getHeader("EncoreLiveTick", Long.class);
                await("every user polled again").atMost(WAIT).until(() -> a.count(
                        "SELECT COUNT(*) FROM live_poll WHERE tick_id = ? AND status = 'polled'", next) == 20);
                assertThat(f.listening.callsPerUser(RECENT + "?limit=50&after=")).hasSize(20)
                        .allSatisfy((user, n) -> assertThat(n).isEqualTo(1));
                assertThat(f.listening.calls("GET /v1/")).as("1 call per user per hourly tick, 9 at first connect")
                        .isEqualTo(20 * 9 + 20);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
