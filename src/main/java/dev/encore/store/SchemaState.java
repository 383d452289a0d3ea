package dev.encore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The {@link SchemaFingerprint} the database was last migrated with (table {@code schema_state},
 * V14). Flyway's validation of a current schema is most of a third of a second of every start; a
 * start that finds its own fingerprint recorded skips it, and any change to a script, a
 * placeholder or Flyway's version runs Flyway as before.
 */
public final class SchemaState {
    private SchemaState() {
    }

    /** Whether the database was migrated with exactly this fingerprint; false for a database without the table. */
    public static boolean isCurrent(DataSource dataSource, String fingerprint) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM schema_state WHERE id = 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && fingerprint.equals(rs.getString(1));
            }
        } catch (SQLException e) {
            return false; // a new database, or one from before V14: Flyway decides
        }
    }

    /** Records the fingerprint of the migration that just succeeded. */
    public static void record(DataSource dataSource, String fingerprint, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM schema_state WHERE id = 1");
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO schema_state (id, fingerprint, migrated_at) VALUES (1, ?, ?)")) {
                delete.executeUpdate();
                insert.setString(1, fingerprint);
                insert.setObject(2, Database.utc(at));
                insert.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            // two replicas migrating at once both reach here; the second one's insert may collide
            if (!isCurrent(dataSource, fingerprint)) {
                throw new IllegalStateException("could not record the schema's fingerprint: " + e.getMessage(), e);
            }
        }
    }
}
