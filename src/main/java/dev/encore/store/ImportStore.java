package dev.encore.store;

import dev.encore.export.RecordRejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** The bookkeeping around an import: users, {@code import_run} rows and refused records. */
public final class ImportStore {
    private final DataSource dataSource;

    public ImportStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The counts of a finished run, as stored in {@code import_run}. */
    public record RunCounts(int read, int inserted, int duplicate, int rejected) {
        public static final RunCounts NONE = new RunCounts(0, 0, 0, 0);
    }

    /** Creates the user on first sight. */
    public void ensureUser(String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM app_user WHERE user_id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (user_id, created_at) VALUES (?, ?)")) {
                ps.setString(1, userId);
                ps.setObject(2, Database.utc(Instant.now()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!SqlErrors.isConstraintViolation(e)) { // another replica created it a moment ago
                    throw e;
                }
            }
        }
    }

    /**
     * Takes the user's row lock for the rest of the caller's transaction, so that two imports of
     * one user (two files, two replicas) never interleave their duplicate checks.
     */
    public void lockUser(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET last_import_at = ? WHERE user_id = ?")) {
            ps.setObject(1, Database.utc(Instant.now()));
            ps.setString(2, userId);
            ps.executeUpdate();
        }
    }

    /** Whether account data (minute precision) of this user was ever loaded; see {@link #markMinuteStreams}. */
    public boolean hasMinutePrecisionStreams(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_minute_streams FROM app_user WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    /** Notes, in the loading transaction, that the user now has account-data rows that extended records may upgrade. */
    public void markMinuteStreams(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET has_minute_streams = 1 WHERE user_id = ?")) {
            ps.setString(1, userId);
            ps.executeUpdate();
        }
    }

    /** Records the start of a run in its own transaction, so that a failed load still leaves a trace. */
    public long startRun(String userId, String sourcePath, String sourceKind) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO import_run (user_id, source_path, source_kind, status, started_at, instance_id) VALUES (?, ?, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, userId);
            ps.setString(2, truncate(sourcePath, 1024));
            ps.setString(3, sourceKind);
            ps.setString(4, RunStatus.RUNNING.dbValue());
            ps.setObject(5, Database.utc(Instant.now()));
            ps.setString(6, InstanceId.current().toString()); // whose end would leave it running
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Records how a run ended, in a transaction of its own. */
    public void finishRun(long runId, RunStatus status, String format, RunCounts counts, String error,
            List<RecordRejection> rejections) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            finishRun(c, runId, status, format, counts, error, rejections);
            c.commit();
        }
    }

    /** Records how a run ended inside the caller's transaction, so the counts commit with the rows they count. */
    public void finishRun(Connection c, long runId, RunStatus status, String format, RunCounts counts, String error,
            List<RecordRejection> rejections) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE import_run SET status = ?, format = ?, records_read = ?, "
                + "records_inserted = ?, records_duplicate = ?, records_rejected = ?, error = ?, finished_at = ? "
                + "WHERE import_run_id = ?")) {
            ps.setString(1, status.dbValue());
            ps.setString(2, format);
            ps.setInt(3, counts.read());
            ps.setInt(4, counts.inserted());
            ps.setInt(5, counts.duplicate());
            ps.setInt(6, counts.rejected());
            ps.setString(7, truncate(error, 2000));
            ps.setObject(8, Database.utc(Instant.now()));
            ps.setLong(9, runId);
            ps.executeUpdate();
        }
        if (!rejections.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO import_rejected_record (import_run_id, record_number, reason) VALUES (?, ?, ?)")) {
                for (RecordRejection r : rejections) {
                    ps.setLong(1, runId);
                    ps.setInt(2, r.recordNumber());
                    ps.setString(3, truncate(r.reason(), 500));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * Records what reconciliation with polled plays did in the run's transaction: polled plays
     * confirmed, and polled-play streams removed (net) because an export stream holds the play.
     */
    public void noteReconciliation(Connection c, long runId, int confirmed, int replaced) throws SQLException {
        if (confirmed == 0 && replaced == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE import_run SET records_confirmed = ?, records_replaced = ? WHERE import_run_id = ?")) {
            ps.setInt(1, confirmed);
            ps.setInt(2, replaced);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Records, in the load's transaction, where the run's streams lie in time and whether it also
     * changed or removed streams of other runs: what lets a history held in memory take in this
     * run by reading its streams alone (InsightsStore).
     *
     * @param from the earliest end among the streams the run added, or null when it added none
     * @param to   the latest such end
     */
    public void noteStreams(Connection c, long runId, Instant from, Instant to, boolean changedOthers) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE import_run SET streams_from = ?, streams_to = ?, streams_changed = ? WHERE import_run_id = ?")) {
            setTimestamp(ps, 1, from);
            setTimestamp(ps, 2, to);
            ps.setBoolean(3, changedOthers);
            ps.setLong(4, runId);
            ps.executeUpdate();
        }
    }

    private static void setTimestamp(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.TIMESTAMP);
        } else {
            ps.setObject(index, Database.utc(at));
        }
    }

    /**
     * When these bytes were first loaded for this user, or null when they never were. Only a
     * file that loaded whole carries its digest ({@link #recordDigest}), so a rejected, failed or
     * interrupted attempt does not count.
     */
    public Instant loadedBefore(String userId, String digest) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT MIN(finished_at) FROM import_run WHERE user_id = ? AND content_digest = ? AND status = ?")) {
            ps.setString(1, userId);
            ps.setString(2, digest);
            ps.setString(3, RunStatus.LOADED.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return null;
                }
                return rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC);
            }
        }
    }

    /**
     * Whether a file of this many bytes may have loaded for the user before: one of their loaded
     * runs has a digest and this size, or a digest and no size (runs from before V15).
     */
    public boolean mayHaveLoaded(String userId, long bytes) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM import_run WHERE user_id = ? AND status = ? AND content_digest IS NOT NULL"
                        + " AND (content_bytes = ? OR content_bytes IS NULL)")) {
            ps.setString(1, userId);
            ps.setString(2, RunStatus.LOADED.dbValue());
            ps.setLong(3, bytes);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    /** Marks the runs of a file that loaded whole with the digest and size of its bytes, in one transaction. */
    public void recordDigest(List<Long> runIds, String digest, long bytes) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE import_run SET content_digest = ?, content_bytes = ? WHERE import_run_id = ?")) {
            c.setAutoCommit(false);
            for (long runId : runIds) {
                ps.setString(1, digest);
                ps.setLong(2, bytes);
                ps.setLong(3, runId);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Fits a text to its column; NUL characters (which PostgreSQL refuses) are dropped. */
    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.replace("\u0000", "");
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }
}
