package dev.encore;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, empty databases for tests: an in-memory H2, or a new database on the real PostgreSQL
 * server (127.0.0.1:5432, or ENCORE_TEST_PG_URL), dropped again by {@link TestDatabase#close}.
 * Without a reachable PostgreSQL the PostgreSQL tests are skipped loudly, except on CI, where
 * they fail.
 */
public final class TestDatabases {
    private static final String PG_ADMIN_URL = System.getenv().getOrDefault("ENCORE_TEST_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String PG_USER = System.getenv().getOrDefault("ENCORE_TEST_PG_USER", "postgres");

    private TestDatabases() {
    }

    public record TestDatabase(String kind, String url, String user, String password, Runnable dropper)
            implements AutoCloseable {
        @Override
        public void close() {
            dropper.run();
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** The number a counting query returns; see {@link TestDatabases#count}. */
        public long count(String sql, Object... parameters) {
            return TestDatabases.count(url, user, password, sql, parameters);
        }

        @Override
        public String toString() {
            return kind;
        }
    }

    public static TestDatabase create(String kind) throws SQLException {
        return switch (kind) {
            case "h2" -> h2();
            case "postgresql" -> postgres();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** An in-memory H2 that lives as long as the JVM (nothing to drop). */
    public static TestDatabase h2() {
        return new TestDatabase("h2", "jdbc:h2:mem:encore-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", () -> { });
    }

    /**
     * The number a counting query returns, on a connection of its own. Unchecked, so that it also
     * serves inside Awaitility conditions.
     */
    public static long count(String url, String user, String sql, Object... parameters) {
        return count(url, user, "", sql, parameters);
    }

    private static long count(String url, String user, String password, String sql, Object... parameters) {
        try (Connection c = DriverManager.getConnection(url, user, password); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }

    private static TestDatabase postgres() throws SQLException {
        try {
            return postgres(PG_ADMIN_URL, PG_USER, "", "encore_test_");
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new SQLException("PostgreSQL must be reachable on CI at " + PG_ADMIN_URL, e);
            }
            System.err.println("*** SKIPPING PostgreSQL test: no PostgreSQL at " + PG_ADMIN_URL + " (" + e.getMessage() + ")");
            Assumptions.abort("PostgreSQL not reachable at " + PG_ADMIN_URL);
            throw e; // not reached
        }
    }

    /**
     * A new database {@code <prefix><random>} on the PostgreSQL server of {@code adminUrl} (any
     * database on it, query parameters kept), dropped again on close. Tests and benchmarks both
     * make theirs here.
     */
    public static TestDatabase postgres(String adminUrl, String user, String password, String prefix) throws SQLException {
        Matcher m = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(.*)$").matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL with a database: " + adminUrl);
        }
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase("postgresql", m.group(1) + name + m.group(3), user, password, () -> {
            try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                 Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            }
        });
    }
}
