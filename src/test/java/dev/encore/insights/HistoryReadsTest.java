package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The memory a burst of Wrapped requests can take (issue 12, item 9): a request reads the user's
 * history only with a turn, so one turned away with a 503 reads nothing, and requests for a
 * history that is being read (by another request, or by the warm step after an import) wait for
 * that read instead of holding a copy each. On the insights fixture's H2 database, with the reads
 * of whole histories counted (and held, where a test needs one under way) on their way to it.
 */
class HistoryReadsTest {
    private static final Duration WAIT = Duration.ofMinutes(1);
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void aRequestTurnedAwayReadsNoHistory() throws Exception {
        Reads reads = new Reads(false);
        WrappedSlots slots = new WrappedSlots(1, 0);
        InsightsApi api = api(reads, reads.store(), slots);

        try (WrappedSlots.Turn held = slots.take()) {
            assertThatThrownBy(() -> api.wrapped("lena", "year:2017", null, null, null, null, null))
                    .isInstanceOf(BusyException.class);
            assertThat(reads.started()).as("reads while every turn is taken").isZero();
        }
        assertThat(api.wrapped("lena", "year:2017", null, null, null, null, null).totals().streams()).isPositive();
        assertThat(reads.started()).isEqualTo(1);
        api.wrapped("lena", "year:2018", null, null, null, null, null);
        assertThat(reads.started()).as("the second answer comes from memory").isEqualTo(1);
    }

    @Test
    void twoRequestsForOneUsersHistoryShareOneRead() throws Exception {
        Reads reads = new Reads(true);
        InsightsApi api = api(reads, reads.store(), new WrappedSlots(2, 0));

        CompletableFuture<Wrapped> first = CompletableFuture.supplyAsync(() -> wrapped(api, "year:2017"));
        await().atMost(WAIT).until(() -> reads.started() == 1);
        Waiting second = Waiting.start(() -> wrapped(api, "year:2017"));
        await().atMost(WAIT).until(second::isWaiting);
        assertThat(reads.started()).as("reads under way while both requests wait").isEqualTo(1);

        reads.release();
        assertThat(first.get(1, TimeUnit.MINUTES)).isEqualTo(second.result());
        assertThat(reads.started()).isEqualTo(1);
    }

    @Test
    void aRequestWhileTheWarmStepReadsTheHistoryWaitsForThatRead() throws Exception {
        Reads reads = new Reads(true);
        InsightsStore store = reads.store();
        InsightsApi api = api(reads, store, new WrappedSlots(2, 0));
        try (HistoryWarmer warmer = new HistoryWarmer(store)) {
            warmer.warmSoon("lena");
            await().atMost(WAIT).until(() -> reads.started() == 1);
            Waiting request = Waiting.start(() -> wrapped(api, "year:2017"));
            await().atMost(WAIT).until(request::isWaiting);
            assertThat(reads.started()).isEqualTo(1);

            reads.release();
            assertThat(request.result().totals().streams()).isPositive();
            assertThat(reads.started()).isEqualTo(1);
        }
    }

    @Test
    void closingTheWarmStepLetsItsReadEndAndStartsNoOther() throws Exception {
        Reads reads = new Reads(true);
        InsightsStore store = reads.store();
        HistoryWarmer warmer = new HistoryWarmer(store);
        warmer.warmSoon("lena");
        await().atMost(WAIT).until(() -> reads.started() == 1);
        warmer.warmSoon("cee"); // waits in the queue behind lena's read

        warmer.close(); // an interrupt would end the read under way (and close an H2 file under others)
        reads.release();
        warmer.warmSoon("efr");

        await().atMost(WAIT).until(() -> store.history("lena").size() > 0);
        assertThat(reads.started()).as("lena's read ended and was kept; cee's and efr's never began").isEqualTo(1);
    }

    private static InsightsApi api(Reads reads, InsightsStore store, WrappedSlots slots) {
        return new InsightsApi(store, new ReportingZones(reads.dataSource(), UTC),
                new ListeningRules(30_000, Set.of("music", "unknown"), false), Clock.systemUTC(), slots);
    }

    private static Wrapped wrapped(InsightsApi api, String period) {
        try {
            return api.wrapped("lena", period, null, null, null, null, null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request on a thread of its own, which tells when it is parked (waiting for a read, or held
     * at the gate if it started one of its own, which {@link Reads#started} then shows).
     */
    private static final class Waiting {
        private final CompletableFuture<Wrapped> result = new CompletableFuture<>();
        private final Thread thread;

        private Waiting(java.util.function.Supplier<Wrapped> request) {
            thread = new Thread(() -> {
                try {
                    result.complete(request.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            }, "history-reads-test-request");
        }

        static Waiting start(java.util.function.Supplier<Wrapped> request) {
            Waiting w = new Waiting(request);
            w.thread.start();
            return w;
        }

        boolean isWaiting() {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        }

        Wrapped result() throws Exception {
            return result.get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * The fixture's database, with every read of a whole history counted as it starts and, when
     * gated, held there until {@link #release}.
     */
    private static final class Reads {
        private final AtomicInteger started = new AtomicInteger();
        private final CountDownLatch gate;
        private final String url;
        private final String user;
        private final String password;

        Reads(boolean gated) throws Exception {
            InsightsFixture fixture = InsightsFixture.on("h2");
            this.gate = new CountDownLatch(gated ? 1 : 0);
            this.url = fixture.db.url();
            this.user = fixture.db.user();
            this.password = fixture.db.password();
        }

        /** A store of its own, so that nothing is in its cache yet. */
        InsightsStore store() {
            return new InsightsStore(dataSource(), 5_000_000);
        }

        int started() {
            return started.get();
        }

        void release() {
            gate.countDown();
        }

        private DataSource dataSource() {
            return WatchedStatements.around(() -> java.sql.DriverManager.getConnection(url, user, password), sql -> {
                if (WatchedStatements.readsAWholeHistory(sql)) {
                    started.incrementAndGet();
                    if (!gate.await(1, TimeUnit.MINUTES)) {
                        throw new SQLException("the test never released the read");
                    }
                }
            });
        }
    }
}
