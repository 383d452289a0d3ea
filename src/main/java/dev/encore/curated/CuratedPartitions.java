package dev.encore.curated;

import dev.encore.store.Database;
import dev.encore.store.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code curated_partition} (V11): the fingerprint each file of the curated zone was last written
 * from. It is stored only after the file was published, so a crash in between rewrites the file
 * once more, and never leaves a file older than its row.
 */
final class CuratedPartitions {
    /** The user_id of the catalogue's files, which belong to no user. */
    static final String CATALOGUE = "";

    private final DataSource dataSource;
    private final Clock clock;

    CuratedPartitions(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The user's files (or the catalogue's, for {@link #CATALOGUE}) and their fingerprints. */
    Map<Partition, String> written(String user) throws SQLException {
        Map<Partition, String> written = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT table_name, part_year, part_month, fingerprint FROM curated_partition WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CuratedTable table = table(rs.getString(1));
                    if (table != null && (table.split() == CuratedTable.Split.NONE) == user.isEmpty()) {
                        written.put(new Partition(table, rs.getInt(2), rs.getInt(3)), rs.getString(4));
                    }
                }
            }
        }
        return written;
    }

    /**
     * Stores the partition's fingerprint: an update, or an insert for a new partition. Replicas
     * sharing the lake and the database may write the same partition at once (the same rows, so
     * the same file); the one whose insert comes second updates instead.
     */
    void remember(String user, Partition key, String fingerprint, long rows, String path) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (update(c, user, key, fingerprint, rows, path) > 0) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO curated_partition (table_name, user_id, part_year, "
                    + "part_month, fingerprint, row_count, lake_path, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindKey(ps, 1, user, key);
                ps.setString(5, fingerprint);
                ps.setLong(6, rows);
                ps.setString(7, path);
                ps.setObject(8, Database.utc(clock.instant()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!SqlErrors.isConstraintViolation(e)) {
                    throw e;
                }
                update(c, user, key, fingerprint, rows, path);
            }
        }
    }

    private int update(Connection c, String user, Partition key, String fingerprint, long rows, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE curated_partition SET fingerprint = ?, row_count = ?, "
                + "lake_path = ?, written_at = ? WHERE table_name = ? AND user_id = ? AND part_year = ? AND part_month = ?")) {
            ps.setString(1, fingerprint);
            ps.setLong(2, rows);
            ps.setString(3, path);
            ps.setObject(4, Database.utc(clock.instant()));
            bindKey(ps, 5, user, key);
            return ps.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement ps, int at, String user, Partition key) throws SQLException {
        ps.setString(at, key.table().tableName());
        ps.setString(at + 1, user);
        ps.setInt(at + 2, key.year());
        ps.setInt(at + 3, key.month());
    }

    void forget(String user, Partition key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM curated_partition WHERE table_name = ? AND user_id = ? AND part_year = ? AND part_month = ?")) {
            bindKey(ps, 1, user, key);
            ps.executeUpdate();
        }
    }

    private static CuratedTable table(String name) {
        for (CuratedTable t : CuratedTable.values()) {
            if (t.tableName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
