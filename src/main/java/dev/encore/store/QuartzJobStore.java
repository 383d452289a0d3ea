package dev.encore.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The Quartz scheduler behind the {@code quartz:} routes, with its job store in the warehouse
 * (tables from db/quartz/<dialect>/) and clustered: replicas sharing the database share the
 * triggers, so each tick of a schedule fires on exactly one of them, and when one stops the others
 * go on firing. It borrows Encore's own connection pool.
 */
public final class QuartzJobStore {
    private QuartzJobStore() {
    }

    /**
     * @param schedulerName the same on every replica: it names the cluster in the QRTZ_ tables
     * @param instanceId    this replica's name in the cluster, or AUTO (host name and start time)
     * @param checkinMillis how often a replica says it is alive; a silent one is presumed dead after about twice this
     */
    public static StdSchedulerFactory factory(Database database, String schedulerName, String instanceId, long checkinMillis)
            throws SchedulerException {
        // Quartz finds connection providers by name in a JVM-wide registry: one name per pool
        String source = "encore-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(source, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return database.dataSource().getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to Encore and is closed with it
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", schedulerName);
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        // a job only puts a request on a queue: one thread is plenty, and keeps the pool free
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.dataSource", source);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinMillis));
        p.setProperty("org.quartz.jobStore.driverDelegateClass", switch (database.dialect()) {
            case POSTGRESQL -> "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate";
            case SQLSERVER -> "org.quartz.impl.jdbcjobstore.MSSQLDelegate";
            case H2 -> "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
        });
        if (database.dialect() == Dialect.SQLSERVER) {
            // Quartz's advice for SQL Server: row locks that hold until the transaction ends
            p.setProperty("org.quartz.jobStore.selectWithLockSQL",
                    "SELECT * FROM {0}LOCKS WITH (UPDLOCK,ROWLOCK) WHERE SCHED_NAME = {1} AND LOCK_NAME = ?");
        }
        return new StdSchedulerFactory(p);
    }
}
