package dev.encore.monitoring;

import dev.encore.curated.CuratedStatus;
import dev.encore.lake.RawKind;
import dev.encore.spotify.EnrichmentStats;
import dev.encore.spotify.SpotifyPause;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

/** {@link EncoreStatusMXBean}, read from the database when asked (Hawtio asks every few seconds). */
public final class EncoreStatus implements EncoreStatusMXBean {
    public static final String OBJECT_NAME = "dev.encore:type=Status";

    private final DataSource dataSource;
    private final EnrichmentStats enrichment;
    private final SpotifyPause pause;
    private final CuratedStatus curated;

    public EncoreStatus(DataSource dataSource, EnrichmentStats enrichment, SpotifyPause pause, CuratedStatus curated) {
        this.dataSource = dataSource;
        this.enrichment = enrichment;
        this.pause = pause;
        this.curated = curated;
    }

    /** The bean under {@link #OBJECT_NAME}: one per JVM, so an app of a test JVM may replace another's. */
    private static EncoreStatus registered;

    /** Registers this bean with the platform MBean server, in place of one an earlier start left. */
    public AutoCloseable register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(OBJECT_NAME);
        synchronized (EncoreStatus.class) {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            registered = this;
        }
        return () -> {
            synchronized (EncoreStatus.class) {
                if (registered == this && server.isRegistered(name)) {
                    server.unregisterMBean(name);
                    registered = null;
                }
            }
        };
    }

    @Override
    public long getUsers() {
        return count("SELECT COUNT(*) FROM app_user");
    }

    @Override
    public long getFilesLoaded() {
        return count("SELECT COUNT(*) FROM import_run WHERE status = 'loaded'");
    }

    @Override
    public long getFilesRejected() {
        return count("SELECT COUNT(*) FROM import_run WHERE status = 'rejected'");
    }

    @Override
    public long getRecordsLoaded() {
        return count("SELECT COALESCE(SUM(CAST(records_inserted AS BIGINT)), 0) FROM import_run WHERE status = 'loaded' AND "
                + RawKind.countsStreams("format"));
    }

    @Override
    public long getRecordsRejected() {
        return count("SELECT COALESCE(SUM(CAST(records_rejected AS BIGINT)), 0) FROM import_run WHERE status = 'loaded'");
    }

    @Override
    public long getConnectedUsers() {
        return count("SELECT COUNT(*) FROM spotify_connection WHERE status = 'connected'");
    }

    @Override
    public long getUsersNeedingReconnect() {
        return count("SELECT COUNT(*) FROM spotify_connection WHERE status = 'reconnect'");
    }

    @Override
    public long getOpenGaps() {
        return count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NULL");
    }

    @Override
    public Map<String, Integer> getSpotifyCalls() {
        try {
            return enrichment.summary().calls();
        } catch (SQLException e) {
            throw new IllegalStateException("The database cannot be read: " + e.getMessage());
        }
    }

    @Override
    public long getSpotifyPauseRemainingSeconds() {
        try {
            return pause.activeUntil().map(until -> Math.max(0, Duration.between(pause.now(), until).toSeconds())).orElse(0L);
        } catch (SQLException e) {
            throw new IllegalStateException("The database cannot be read: " + e.getMessage());
        }
    }

    @Override
    public long getCuratedFilesWritten() {
        return curated.filesWritten();
    }

    @Override
    public int getCuratedPendingUsers() {
        return curated.pendingUsers();
    }

    @Override
    public String getCuratedError() {
        return curated.lastError();
    }

    // JMX clients show an exception's message, so it names the problem and nothing else
    private long count(String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("The database cannot be read: " + e.getMessage());
        }
    }
}
