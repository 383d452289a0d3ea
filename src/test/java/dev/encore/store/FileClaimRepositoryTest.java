package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileClaimRepositoryTest {
    private static final Duration LEASE = Duration.ofMinutes(30);

    private final TestClock clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
    private TestDatabase db;
    private Database database;

    private FileClaimRepository open(String kind) throws Exception {
        db = TestDatabases.create(kind);
        database = Database.open(db.url(), db.user(), "", 2);
        return new FileClaimRepository(database.dataSource(), LEASE, clock);
    }

    @AfterEach
    void close() {
        database.close();
        db.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFileVersionIsClaimedOnceUntilReleased(String kind) throws Exception {
        FileClaimRepository claims = open(kind);
        String key = "adls:encore/exports/alice/x.zip:0x8DC1:123";

        assertThat(claims.add(key)).isTrue();
        assertThat(claims.add(key)).as("a second replica").isFalse();
        assertThat(claims.confirm(key)).isTrue();
        assertThat(claims.add(key)).as("after the import").isFalse();
        assertThat(claims.remove(key)).isTrue();
        assertThat(claims.add(key)).as("after release").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anAbandonedClaimIsTakenOverAfterItsLeaseButAFinishedOneIsNot(String kind) throws Exception {
        FileClaimRepository claims = open(kind);
        claims.add("local:alice/a.json:10:1");
        claims.add("local:alice/b.json:10:1");
        claims.confirm("local:alice/b.json:10:1");

        clock.advance(LEASE.minusSeconds(1));
        assertThat(claims.add("local:alice/a.json:10:1")).as("within the lease").isFalse();
        clock.advance(Duration.ofSeconds(2));
        assertThat(claims.add("local:alice/a.json:10:1")).as("abandoned").isTrue();
        assertThat(claims.add("local:alice/a.json:10:1")).as("just taken over").isFalse();
        assertThat(claims.add("local:alice/b.json:10:1")).as("finished, though older than the lease").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void takingOverAClaimMarksTheRunsItsHolderLeftRunningInterrupted(String kind) throws Exception {
        FileClaimRepository claims = open(kind);
        String other = new InstanceId("another-host", 42, 1_700_000_000_000L).toString();
        ImportStore store = new ImportStore(database.dataSource());
        store.ensureUser("alice");
        long run = store.startRun("alice", "alice/a.json", "local");
        try (java.sql.Connection c = database.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE import_run SET instance_id = '" + other + "' WHERE import_run_id = " + run);
        }
        claims.add("local:alice/a.json:10:1");
        db.connect().createStatement().executeUpdate("UPDATE file_claim SET claimed_by = '" + other + "'");

        clock.advance(LEASE.plusSeconds(1));
        assertThat(claims.add("local:alice/a.json:10:1")).as("abandoned").isTrue();

        assertThat(db.count("SELECT COUNT(*) FROM import_run WHERE import_run_id = ? AND status = 'interrupted'", run)).isEqualTo(1);
        try (java.sql.Connection c = db.connect(); java.sql.ResultSet rs = c.createStatement()
                .executeQuery("SELECT error FROM import_run WHERE import_run_id = " + run)) {
            rs.next();
            assertThat(rs.getString(1)).contains(other).contains("took it over");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aClaimLeftByAnEndedStartOnThisHostIsTakenOverAtOnceButALiveOnesNever(String kind) throws Exception {
        FileClaimRepository claims = open(kind);
        String ended = InterruptedRunsTest.endedStartOnThisHost().toString();
        String live = InstanceId.ofProcess(ProcessHandle.current().parent().orElseThrow()).toString();
        String farAway = new InstanceId("another-host", 42, 1_700_000_000_000L).toString();
        claims.add("local:bob/killed.json:10:1");
        claims.add("local:bob/live.json:10:1");
        claims.add("local:bob/far.json:10:1");
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE file_claim SET claimed_by = '" + ended + "' WHERE claim_key = 'local:bob/killed.json:10:1'");
            st.executeUpdate("UPDATE file_claim SET claimed_by = '" + live + "' WHERE claim_key = 'local:bob/live.json:10:1'");
            st.executeUpdate("UPDATE file_claim SET claimed_by = '" + farAway + "' WHERE claim_key = 'local:bob/far.json:10:1'");
        }

        assertThat(claims.add("local:bob/killed.json:10:1")).as("its process is gone: no need to wait for the lease").isTrue();
        assertThat(claims.add("local:bob/killed.json:10:1")).as("now held by this start").isFalse();
        assertThat(claims.add("local:bob/live.json:10:1")).as("a live process on this host").isFalse();
        assertThat(claims.add("local:bob/far.json:10:1")).as("another host, within the lease").isFalse();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(claims.add("local:bob/far.json:10:1")).as("another host, after the lease").isTrue();
    }
}
