package dev.encore.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.encore.StartupFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pooled connection to the warehouse, migrated to the current schema when opened. */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Dialect dialect;

    private Database(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public static Database open(String url, String user, String password, int poolSize) {
        Dialect dialect = Dialect.fromJdbcUrl(url);
        HikariConfig config = new HikariConfig();
        Properties properties = new Properties();
        if (user != null && !user.isBlank()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isBlank()) {
            properties.setProperty("password", password);
        }
        if (dialect == Dialect.POSTGRESQL) {
            // turns a JDBC batch of INSERTs into multi-row INSERTs: several times faster
            properties.setProperty("reWriteBatchedInserts", "true");
        }
        String jdbcUrl = url;
        if (dialect == Dialect.H2) {
            // H2 would write its own trace file, and print a stack trace when it cannot: its messages go
            // through Encore's logging instead (TRACE_LEVEL_FILE=4 is SLF4J)
            jdbcUrl = withH2Setting(jdbcUrl, "TRACE_LEVEL_FILE", "4");
            // H2 would close the database from a JVM shutdown hook of its own, under the routes that
            // Camel's hook is still stopping in order ("Database is already closed"); close() does it
            jdbcUrl = withH2Setting(jdbcUrl, "DB_CLOSE_ON_EXIT", "FALSE");
        }
        config.setDataSource(new DriverDataSource(dialect.driverClassName(), jdbcUrl, properties));
        config.setMaximumPoolSize(poolSize);
        // connections are opened as they are needed: a command uses one or two, and a pool that fills
        // itself in the background competes with the start for the cores (and holds up its stop)
        config.setMinimumIdle(1);
        config.setPoolName("encore-db");
        HikariDataSource ds = open(config, url);
        try {
            migrate(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, dialect);
    }

    /** The URL with {@code ;NAME=value} added, unless it sets NAME itself. */
    private static String withH2Setting(String url, String name, String value) {
        return url.toUpperCase(Locale.ROOT).contains(name) ? url : url + ";" + name + "=" + value;
    }

    /** Flyway, unless the database was last migrated with exactly these scripts ({@link SchemaState}). */
    private static void migrate(HikariDataSource ds, Dialect dialect) {
        String fingerprint = SchemaFingerprint.of(dialect);
        if (SchemaState.isCurrent(ds, fingerprint)) {
            LOG.info("Database {} ready: schema current (migrated with these scripts already)", dialect);
            return;
        }
        MigrateResult result = Flyway.configure()
                .dataSource(ds)
                .placeholders(dialect.flywayPlaceholders())
                // the shared schema, and Quartz's job store, whose DDL differs per database
                .locations("classpath:db/migration", "classpath:db/quartz/" + dialect.name().toLowerCase(Locale.ROOT))
                .load()
                .migrate();
        SchemaState.record(ds, fingerprint, Instant.now());
        LOG.info("Database {} ready: schema version {} ({} migrations applied now)", dialect,
                result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
    }

    private static HikariDataSource open(HikariConfig config, String url) {
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (heldByAnotherProcess(e)) {
                // an embedded H2 file opens in one process only: say what to do, not 46 lines of stack
                throw new StartupFailure("the database " + url + " is in use by another process (a running ./encore?). "
                        + "Stop that one first, or drop the files into its inbox/<user>/ folder and it loads them.");
            }
            throw e;
        }
    }

    /** H2's "Database may be already in use" (90020): the file lock of another process. */
    private static boolean heldByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && s.getErrorCode() == 90020) {
                return true;
            }
        }
        return false;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Times are stored as UTC wall-clock values in a zone-less column on all three databases. */
    public static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The instant a column written by {@link #utc} holds, or null for NULL. */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
