package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Import runs whose Encore was killed mid-import do not stay {@code running} for ever: the next
 * start on the same host marks them {@code interrupted}; runs of live processes and of other hosts
 * (which only the claim's lease can judge) are left alone.
 */
class InterruptedRunsTest {
    private TestDatabase db;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** A start of Encore on this host whose process has ended, as after a kill -9. */
    static InstanceId endedStartOnThisHost() throws Exception {
        Process child = new ProcessBuilder("java", "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        InstanceId started = InstanceId.ofProcess(child.toHandle());
        child.destroyForcibly();
        child.waitFor();
        return started;
    }

    private long run(ImportStore store, String path, InstanceId instance) throws SQLException {
        long id = store.startRun("bob", path, "local");
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE import_run SET instance_id = ? WHERE import_run_id = ?")) {
            ps.setString(1, instance.toString());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        return id;
    }

    private String[] statusAndError(long runId) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, error FROM import_run WHERE import_run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theRunsOfAnEndedStartOnThisHostAreMarkedInterruptedAndNoOthers(String kind) throws Exception {
        db = TestDatabases.create(kind);
        database = Database.open(db.url(), db.user(), "", 2);
        ImportStore store = new ImportStore(database.dataSource());
        store.ensureUser("bob");
        InstanceId ended = endedStartOnThisHost();
        InstanceId live = InstanceId.ofProcess(ProcessHandle.current().parent().orElseThrow()); // the build running this test
        InstanceId elsewhere = new InstanceId("another-host", ended.pid(), ended.startedMillis());
        long killed = run(store, "bob/big.json", ended);
        long finished = run(store, "bob/done.json", ended);
        store.finishRun(finished, RunStatus.LOADED, "extended-2024", ImportStore.RunCounts.NONE, null, java.util.List.of());
        long stillGoing = run(store, "bob/live.json", live);
        long otherHost = run(store, "bob/far.json", elsewhere);
        long mine = store.startRun("bob", "bob/mine.json", "local");

        int marked = new InterruptedRuns(database.dataSource(), Clock.systemUTC()).markRunsOfEndedStarts();

        assertThat(marked).isEqualTo(1);
        assertThat(statusAndError(killed)[0]).isEqualTo(RunStatus.INTERRUPTED.dbValue());
        assertThat(statusAndError(killed)[1]).contains("process " + ended.pid()).contains("ended while this run was in progress");
        assertThat(statusAndError(finished)[0]).isEqualTo("loaded");
        assertThat(statusAndError(stillGoing)[0]).as("a live process's run").isEqualTo("running");
        assertThat(statusAndError(otherHost)[0]).as("another host: only its lease can tell").isEqualTo("running");
        assertThat(statusAndError(mine)[0]).as("this very process").isEqualTo("running");
    }

    @Test
    void aStartMarksTheRunsItsKilledPredecessorLeftRunning() throws Exception {
        db = TestDatabases.h2();
        database = Database.open(db.url(), db.user(), "", 2);
        ImportStore store = new ImportStore(database.dataSource());
        store.ensureUser("bob");
        long killed = run(store, "bob/big.json", endedStartOnThisHost());
        database.close();
        database = null;

        try (EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.enrich.scheduled", "false"))) {
            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE import_run_id = ? AND status = ?", killed,
                    RunStatus.INTERRUPTED.dbValue())).isEqualTo(1);
        }
    }

    @Test
    void anInstanceIdReadsBackAsWritten() {
        InstanceId id = new InstanceId("host.with/slash", 4242, Instant.parse("2026-12-01T12:00:00Z").toEpochMilli());
        assertThat(InstanceId.parse(id.toString())).contains(id);
        assertThat(InstanceId.parse("4242@oldhost")).as("a claimant of an older version").isEmpty();
    }
}
