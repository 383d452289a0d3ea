package dev.encore.curated;

import dev.encore.insights.ReportingZones;
import dev.encore.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the lake's curated zone in step with the warehouse (docs/curated-zone.md). A load marks
 * its user {@link #changed}; each {@link #pass} (the {@code curated-zone} route's timer) compares
 * every partition of the marked users, and the catalogue, with the fingerprint it was last
 * written from ({@code curated_partition}) and rewrites only those that differ, so a load that
 * changed nothing writes nothing and a load of one new month rewrites one file. A failure (the
 * lake down) leaves the users marked and is tried again after {@code retryDelay}; at start every
 * user is marked once, so what a crash or an outage left owed is caught up.
 */
public final class CuratedZone {
    private static final Logger LOG = LoggerFactory.getLogger(CuratedZone.class);

    private final Database database;
    private final Fingerprints fingerprints;
    private final CuratedPartitions partitions;
    private final CuratedLake lake;
    private final ReportingZones zones;
    private final CuratedStatus status;
    private final Clock clock;
    private final Duration retryDelay;
    private final String memoryLimit;
    private final Path scratch;
    private final Set<String> pending = new LinkedHashSet<>();
    /** Each user's time zone at the last pass: a new zone changes every local_date, so all their months are due. */
    private final Map<String, String> zonesSeen = new HashMap<>();
    private boolean everyone = true;

    public CuratedZone(Database database, CuratedLake lake, ReportingZones zones, CuratedStatus status, Clock clock,
            Duration retryDelay, String memoryLimit, Path scratch) {
        this.database = database;
        this.fingerprints = new Fingerprints(database);
        this.partitions = new CuratedPartitions(database.dataSource(), clock);
        this.lake = lake;
        this.zones = zones;
        this.status = status;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.memoryLimit = memoryLimit;
        this.scratch = scratch;
    }

    /** The user's data may have changed: the next pass looks at their partitions. Never fails, never waits. */
    public synchronized void changed(String user) {
        if (user != null) {
            pending.add(user);
            status.pending(pending.size(), false);
        }
    }

    /** What a pass did. */
    public record Pass(int users, int filesWritten, int filesDeleted, long rowsWritten, boolean skipped) {
        @Override
        public String toString() {
            return skipped ? "waiting to retry" : users + " user(s) checked, " + filesWritten + " file(s) written ("
                    + rowsWritten + " rows), " + filesDeleted + " removed";
        }
    }

    /**
     * Writes what the marked users and the catalogue are owed. One pass at a time (the route's
     * timer does not overlap itself). A failure is recorded (health, metrics), not thrown.
     */
    public Pass pass() {
        Instant now = clock.instant();
        if (status.retryAt() != null && now.isBefore(status.retryAt())) {
            return new Pass(0, 0, 0, 0, true);
        }
        List<String> users;
        synchronized (this) {
            try {
                markRezoned();
            } catch (SQLException e) {
                return failed(e, now, new Tally());
            }
            users = new ArrayList<>(pending);
        }
        Tally tally = new Tally();
        try {
            for (String user : users) {
                syncUser(user, tally);
                synchronized (this) {
                    pending.remove(user);
                    status.pending(pending.size(), false);
                }
                tally.users++;
            }
            syncCatalogue(tally);
        } catch (IOException | SQLException | RuntimeException | LinkageError e) {
            // LinkageError: DuckDB has no native library for this OS or CPU
            return failed(e, now, tally);
        }
        synchronized (this) {
            status.pending(pending.size(), true);
        }
        if (status.lastError() != null) {
            LOG.info("The curated zone is written again");
        }
        status.succeeded();
        return tally.pass();
    }

    private Pass failed(Throwable e, Instant now, Tally tally) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (status.lastError() == null) {
            LOG.warn("Could not write the curated zone (tried again in {} s): {}", retryDelay.toSeconds(), error);
        }
        status.failed(error, now, now.plus(retryDelay));
        return tally.pass();
    }

    /**
     * Marks every user at the first pass (what a crash or an outage before this start left owed),
     * and afterwards each user whose time zone changed since the last pass (the API sets it).
     */
    private void markRezoned() throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT user_id, time_zone FROM app_user ORDER BY user_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String user = rs.getString(1);
                String zone = String.valueOf(rs.getString(2));
                String before = zonesSeen.put(user, zone);
                if (everyone || (before != null && !before.equals(zone))) {
                    pending.add(user);
                }
            }
        }
        everyone = false;
        status.pending(pending.size(), false);
    }

    /** Rewrites the user's partitions whose rows changed, and removes those whose rows are gone. */
    void syncUser(String user, Tally tally) throws SQLException, IOException {
        ZoneId zone = zones.zoneOf(user).orElse(null);
        // a user who is gone has nothing left to write: their files go
        Map<Partition, String> now = zone == null ? Map.of() : fingerprints.ofUser(user, zone);
        reconcile(user, now, partitions.written(user), zone, tally);
    }

    private void syncCatalogue(Tally tally) throws SQLException, IOException {
        reconcile(CuratedPartitions.CATALOGUE, fingerprints.ofCatalogue(), partitions.written(CuratedPartitions.CATALOGUE),
                ZoneId.of("UTC"), tally);
    }

    private void reconcile(String user, Map<Partition, String> now, Map<Partition, String> written, ZoneId zone, Tally tally)
            throws SQLException, IOException {
        for (Map.Entry<Partition, String> e : now.entrySet()) {
            if (!e.getValue().equals(written.get(e.getKey()))) {
                tally.rows += write(user, e.getKey(), e.getValue(), zone);
                tally.written++;
            }
        }
        for (Partition gone : written.keySet()) {
            if (!now.containsKey(gone)) {
                lake.delete(CuratedPaths.of(gone.table(), user, gone.year(), gone.month()));
                partitions.forget(user, gone);
                status.deleted();
                tally.deleted++;
            }
        }
    }

    /** One partition, written whole to scratch, then published over the old file; then its fingerprint is stored. */
    private long write(String user, Partition key, String fingerprint, ZoneId zone) throws SQLException, IOException {
        String path = CuratedPaths.of(key.table(), user, key.year(), key.month());
        Path file = lake.scratchFor(path);
        long rows;
        try {
            try (Connection c = database.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement(key.table().lakeQuery())) {
                if (key.table().split() != CuratedTable.Split.NONE) {
                    ps.setString(1, user);
                }
                if (key.table().split() == CuratedTable.Split.USER_MONTH) {
                    LocalDateTime from = LocalDateTime.of(key.year(), key.month(), 1, 0, 0);
                    ps.setObject(2, from);
                    ps.setObject(3, from.plusMonths(1));
                }
                ps.setFetchSize(1000);
                rows = copy(ps, key.table(), zone, file);
            }
            lake.publish(file, path);
        } finally {
            Files.deleteIfExists(file);
        }
        partitions.remember(user, key, fingerprint, rows, path);
        status.written(clock.instant());
        LOG.debug("Curated {}: {} rows", path, rows);
        return rows;
    }

    private long copy(PreparedStatement ps, CuratedTable table, ZoneId zone, Path file) throws SQLException, IOException {
        // PostgreSQL streams rows with a fetch size only outside auto-commit
        Connection c = ps.getConnection();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (ParquetTableWriter out = new ParquetTableWriter(table.columns(), file, memoryLimit, scratch);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.row(table.read(rs, zone));
            }
            c.commit();
            return out.rows();
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static final class Tally {
        int users;
        int written;
        int deleted;
        long rows;

        Pass pass() {
            return new Pass(users, written, deleted, rows, false);
        }
    }
}
