package dev.encore.insights;

import static dev.encore.lake.SpotifyAnswers.accountRecord;
import static dev.encore.lake.SpotifyAnswers.exportRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.intake.Outcome;
import dev.encore.lake.LakeFixture;
import dev.encore.lake.SpotifyAnswers;
import dev.encore.lake.SpotifyAnswers.Play;
import dev.encore.lake.SpotifyAnswers.Track;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A history held in memory takes in a load by reading that load's streams alone (an export's next
 * file, an hour of polled plays), and is then the very history a whole read gives, ties and order
 * included. A load that changed streams already held (an upgrade, a replaced polled play), or whose
 * effect is unknown, makes a whole read instead. On H2 and PostgreSQL (whose loads take COPY).
 */
class HistoryUpdatesTest {
    private static final String USER = "noor";
    private static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    private static final Track A = new Track("4uLU6hMCjMI75M1A2tKUQC", "Never Gonna Give You Up", "Rick Astley", "Whenever You Need Somebody", 213_573, "GBARL9300135");
    private static final Track B = new Track("0VjIjW4GlUZAMYd2vXMi3b", "Blinding Lights", "The Weeknd", "After Hours", 200_040, "USUG11904206");
    private static final Track C = new Track("7qiZfU4dY1lWllzX7mPBI3", "Shape of You", "Ed Sheeran", "Divide", 233_712, "GBAHS1600463");

    @TempDir
    Path tmp;
    private LakeFixture f;
    private int files;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theNextFileOfAnExportIsReadAloneAndTheHistoryIsTheWholeRead(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        InsightsStore store = store();
        export(at(0, A, 180_000), at(600, B, 200_000), at(1200, C, 30_000), at(86_400, A, 90_000));
        assertThat(store.history(USER).size()).isEqualTo(4);

        // between and after the stored ones; a tie on the second with each of them (other ms, other
        // track); a repeat of a stored stream and a repeat inside the file, both left out
        export(at(300, C, 233_000), at(600, B, 120_000), at(600, A, 200_000), at(0, A, 180_000),
                at(90_000, B, 60_000), at(90_000, B, 60_000), at(1200, C, 29_000));
        ListeningHistory updated = store.history(USER);

        assertThat(store.extensions()).as("histories brought up to date").isEqualTo(1);
        assertThat(store.fullReads()).as("whole reads").isEqualTo(1);
        assertThat(updated.size()).isEqualTo(9);
        assertSameAsAWholeRead(updated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void hoursOfPolledPlaysAreAddedPageByPage(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        InsightsStore store = store();
        export(at(0, A, 180_000), at(600, B, 200_000));
        store.history(USER);

        poll(T0.plusSeconds(9000), play(A, 8000), play(B, 8300));
        assertThat(store.history(USER).size()).isEqualTo(4);
        // an hour later the page still holds the last play (a repeat) and one more, with milliseconds
        poll(T0.plusSeconds(12_600), play(B, 8300), new Play(C, T0.plusSeconds(9000).plusMillis(250), null));
        ListeningHistory updated = store.history(USER);

        assertThat(store.extensions()).isEqualTo(2);
        assertThat(store.fullReads()).isEqualTo(1);
        assertThat(updated.size()).isEqualTo(5);
        assertSameAsAWholeRead(updated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anExtendedFileThatUpgradesAccountDataRowsMakesAWholeRead(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        InsightsStore store = store();
        assertThat(f.export(USER, "StreamingHistory_music_0.json", SpotifyAnswers.array(List.of(
                accountRecord(A, "2025-03-01 08:00", 180_000), accountRecord(B, "2025-03-01 08:10", 200_000)))).outcome())
                .isEqualTo(Outcome.LOADED);
        store.history(USER);

        export(at(12, A, 180_000), at(605, B, 200_000)); // the same two plays, to the second
        ListeningHistory updated = store.history(USER);

        assertThat(store.extensions()).isZero();
        assertThat(store.fullReads()).isEqualTo(2);
        assertThat(updated.size()).isEqualTo(2);
        assertSameAsAWholeRead(updated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anExportThatTakesAPolledPlaysPlaceMakesAWholeRead(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        InsightsStore store = store();
        poll(T0.plusSeconds(3600), play(A, 600));
        assertThat(store.history(USER).size()).isEqualTo(1);

        export(at(600, A, 213_000)); // the same play, as the export has it
        ListeningHistory updated = store.history(USER);

        assertThat(f.count("SELECT SUM(records_replaced) FROM import_run WHERE user_id = ?", USER)).isEqualTo(1);
        assertThat(store.fullReads()).isEqualTo(2);
        assertThat(updated.size()).isEqualTo(1);
        assertSameAsAWholeRead(updated);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRunWhoseEffectIsUnknownMakesAWholeRead(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        InsightsStore store = store();
        export(at(0, A, 180_000));
        store.history(USER);
        export(at(600, B, 200_000));
        // as a run loaded before the columns existed leaves them
        try (Connection c = f.db.connect(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE import_run SET streams_from = NULL, streams_to = NULL, streams_changed = NULL "
                    + "WHERE import_run_id = (SELECT MAX(import_run_id) FROM import_run)");
        }

        assertThat(store.history(USER).size()).isEqualTo(2);
        assertThat(store.fullReads()).isEqualTo(2);
        assertThat(store.extensions()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLoadThatFinishesWhileTheWholeHistoryIsReadIsLeftForTheNextLook(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        export(at(0, A, 180_000));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        InsightsStore store = new InsightsStore(heldAtTheWholeRead(f.database.dataSource(), held, release), 1_000_000);

        CompletableFuture<ListeningHistory> first = CompletableFuture.supplyAsync(() -> {
            try {
                return store.history(USER);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(held.await(1, TimeUnit.MINUTES)).as("the whole read began").isTrue();
        export(at(600, B, 200_000)); // its run is loaded after the read looked at the runs
        release.countDown();

        assertThat(first.get(1, TimeUnit.MINUTES).size()).as("the read holds the runs it looked at").isEqualTo(1);
        ListeningHistory next = store.history(USER);
        assertThat(next.size()).isEqualTo(2);
        assertThat(store.extensions()).isEqualTo(1);
        assertSameAsAWholeRead(next);
    }

    @org.junit.jupiter.api.Test
    void onH2AHistoryReadInTheTablesOrderIsTheOneTheIndexGives() throws Exception {
        f = new LakeFixture("h2", tmp);
        // stored out of time order: the later file first, and each file back to front, ties included
        export(at(90_000, B, 60_000), at(86_400, A, 90_000), at(86_400, A, 80_000), at(86_400, C, 90_000));
        export(at(1200, C, 30_000), at(600, B, 200_000), at(600, A, 200_000), at(0, A, 180_000));
        List<ListenedStream> readInTableOrder = streams(store().history(USER));
        List<Instant> ends = readInTableOrder.stream().map(s -> Instant.ofEpochSecond(s.endEpochSecond())).toList();
        assertThat(ends).hasSize(8).isSorted();

        // someone with many more streams: this user's are now too few for reading the whole table to pay
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(at(200_000 + i * 600L, C, 100_000 + i));
        }
        assertThat(f.export("zed", "Streaming_History_Audio_2025_z.json", SpotifyAnswers.array(many)).outcome())
                .isEqualTo(Outcome.LOADED);
        assertThat(streams(store().history(USER))).isEqualTo(readInTableOrder);
    }

    @org.junit.jupiter.api.Test
    void afterAStartTheHistoriesThatFitAreReadAheadTheLatestLoadedFirst() throws Exception {
        f = new LakeFixture("h2", tmp);
        export(at(0, A, 180_000), at(600, B, 200_000), at(1200, C, 30_000), at(1800, A, 90_000)); // noor: 4
        for (String user : List.of("zed", "amy")) { // zed: 2, then amy: 5, the latest
            List<ObjectNode> records = new ArrayList<>();
            for (int i = 0; i < (user.equals("zed") ? 2 : 5); i++) {
                records.add(at(i * 600L, C, 100_000 + i));
            }
            assertThat(f.export(user, "Streaming_History_Audio_2025_" + user + ".json", SpotifyAnswers.array(records))
                    .outcome()).isEqualTo(Outcome.LOADED);
        }
        assertThat(new InsightsStore(f.database.dataSource(), 8).usersThatFit()).containsExactly("amy", "zed");
        assertThat(new InsightsStore(f.database.dataSource(), 11).usersThatFit()).containsExactly("amy", "zed", "noor");

        try (dev.encore.LogCapture log = dev.encore.LogCapture.open();
             dev.encore.EncoreApp app = dev.encore.EncoreApp.start(f.db.url(), f.db.user(), java.util.Map.of(
                     "camel.server.port", Integer.toString(dev.encore.EncoreApp.freePort()), "encore.local.enabled", "false",
                     "encore.enrich.scheduled", "false", "encore.insights.cache-max-streams", "8"))) {
            org.awaitility.Awaitility.await("the read ahead").atMost(Duration.ofMinutes(1)).until(() ->
                    log.text().contains("The history of zed (2 streams) was ready"));
            assertThat(log.text()).contains("The history of amy (5 streams) was ready")
                    .doesNotContain("The history of noor");
        }
    }

    private InsightsStore store() {
        return new InsightsStore(f.database.dataSource(), 1_000_000);
    }

    private void assertSameAsAWholeRead(ListeningHistory updated) throws SQLException {
        ListeningHistory whole = store().history(USER);
        assertThat(updated.version()).isEqualTo(whole.version());
        assertThat(updated.extent()).isEqualTo(whole.extent());
        assertThat(streams(updated)).isEqualTo(streams(whole));
    }

    private static List<ListenedStream> streams(ListeningHistory h) {
        List<ListenedStream> all = new ArrayList<>();
        long[] extent = h.extent();
        if (extent != null) {
            h.forEach(extent[0], extent[1] + 1, all::add);
        }
        assertThat(all).hasSize(h.size());
        return all;
    }

    private static ObjectNode at(long second, Track t, int ms) {
        return exportRecord(t, T0.plusSeconds(second), ms, "android");
    }

    private static Play play(Track t, long second) {
        return new Play(t, T0.plusSeconds(second), null);
    }

    private void export(ObjectNode... records) throws Exception {
        assertThat(f.export(USER, "Streaming_History_Audio_2025_" + (++files) + ".json",
                SpotifyAnswers.array(List.of(records))).outcome()).isEqualTo(Outcome.LOADED);
    }

    private void poll(Instant fetched, Play... plays) throws Exception {
        assertThat(f.raw(SpotifyAnswers.path("recently-played", USER, fetched, null),
                SpotifyAnswers.recentlyPlayed(50, List.of(plays))).outcome()).isEqualTo(Outcome.LOADED);
    }

    /** The source, with the whole-history read held (its runs already looked at) until the test lets it go. */
    private static DataSource heldAtTheWholeRead(DataSource source, CountDownLatch held, CountDownLatch release) {
        return WatchedStatements.around(source::getConnection, sql -> {
            if (WatchedStatements.readsAWholeHistory(sql) && held.getCount() > 0) {
                held.countDown();
                if (!release.await(1, TimeUnit.MINUTES)) {
                    throw new SQLException("the test never let the read go on");
                }
            }
        });
    }
}
