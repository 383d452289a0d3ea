package dev.encore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the {@code running} import runs whose Encore is gone (kill -9, a crash, the machine
 * stopped): they are marked {@link RunStatus#INTERRUPTED} with what is known of why. Nothing of
 * such a run was stored (a run's streams commit with its final counts), so its file is simply
 * loaded again from its claim. Found on the next start for the starts of this host, and when
 * the claim of another host's start is taken over after its lease.
 */
public final class InterruptedRuns {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptedRuns.class);

    private final DataSource dataSource;
    private final Clock clock;

    public InterruptedRuns(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** At start: the runs of the earlier starts on this host whose process is over. */
    public int markRunsOfEndedStarts() throws SQLException {
        int marked = 0;
        try (Connection c = dataSource.getConnection()) {
            for (String id : runningInstances(c)) {
                InstanceId instance = InstanceId.parse(id).orElse(null);
                if (instance != null && instance.isOverOnThisHost()) {
                    int n = mark(c, id, "interrupted: Encore's process " + instance.pid() + " on " + instance.host()
                            + " ended while this run was in progress (killed or crashed); nothing of it was stored");
                    LOG.warn("Marked {} import run(s) of the earlier Encore process {} on this host interrupted: "
                            + "it ended in the middle of them", n, instance.pid());
                    marked += n;
                }
            }
        }
        return marked;
    }

    /** When another start's claim is taken over: its runs still {@code running} will not finish. */
    int markRunsOf(Connection c, String instanceId, String cause) throws SQLException {
        return mark(c, instanceId, cause);
    }

    private static List<String> runningInstances(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT instance_id FROM import_run "
                + "WHERE status = ? AND instance_id IS NOT NULL")) {
            ps.setString(1, RunStatus.RUNNING.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private int mark(Connection c, String instanceId, String cause) throws SQLException {
        // a conditional UPDATE: a run that finished meanwhile keeps its outcome
        try (PreparedStatement ps = c.prepareStatement("UPDATE import_run SET status = ?, error = ?, finished_at = ? "
                + "WHERE status = ? AND instance_id = ?")) {
            ps.setString(1, RunStatus.INTERRUPTED.dbValue());
            ps.setString(2, cause.length() > 2000 ? cause.substring(0, 2000) : cause);
            ps.setObject(3, Database.utc(clock.instant()));
            ps.setString(4, RunStatus.RUNNING.dbValue());
            ps.setString(5, instanceId);
            return ps.executeUpdate();
        }
    }
}
