package dev.encore.curated;

import dev.encore.insights.ReportingZones;
import dev.encore.store.Database;
import dev.encore.store.SqlErrors;
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
import java.util.LinkedHashMap;
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
    private static final String CATALOGUE = "";

    private final Database database;
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
        Map<Key, String> now = new LinkedHashMap<>();
        if (zone != null) {
            now.putAll(monthFingerprints(user, zone));
            for (CuratedTable t : List.of(CuratedTable.PLAYLISTS, CuratedTable.PLAYLIST_ITEMS)) {
                String fp = fingerprint(t, user);
                if (fp != null) {
                    now.put(new Key(t, 0, 0), fp);
                }
            }
        }
        reconcile(user, now, written(user), zone, tally);
    }

    private void syncCatalogue(Tally tally) throws SQLException, IOException {
        Map<Key, String> now = new LinkedHashMap<>();
        for (CuratedTable t : CuratedTable.values()) {
            if (t.split() == CuratedTable.Split.NONE) {
                String fp = fingerprint(t, null);
                if (fp != null) {
                    now.put(new Key(t, 0, 0), fp);
                }
            }
        }
        reconcile(CATALOGUE, now, written(CATALOGUE), ZoneId.of("UTC"), tally);
    }

    private void reconcile(String user, Map<Key, String> now, Map<Key, String> written, ZoneId zone, Tally tally)
            throws SQLException, IOException {
        for (Map.Entry<Key, String> e : now.entrySet()) {
            if (!e.getValue().equals(written.get(e.getKey()))) {
                tally.rows += write(user, e.getKey(), e.getValue(), zone);
                tally.written++;
            }
        }
        for (Key gone : written.keySet()) {
            if (!now.containsKey(gone)) {
                lake.delete(CuratedPaths.of(gone.table, user, gone.year, gone.month));
                forget(user, gone);
                status.deleted();
                tally.deleted++;
            }
        }
    }

    /** One partition, written whole to scratch, then published over the old file; then its fingerprint is stored. */
    private long write(String user, Key key, String fingerprint, ZoneId zone) throws SQLException, IOException {
        String path = CuratedPaths.of(key.table, user, key.year, key.month);
        Path file = lake.scratchFor(path);
        long rows;
        try {
            try (Connection c = database.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement(key.table.lakeQuery())) {
                if (key.table.split() != CuratedTable.Split.NONE) {
                    ps.setString(1, user);
                }
                if (key.table.split() == CuratedTable.Split.USER_MONTH) {
                    LocalDateTime from = LocalDateTime.of(key.year, key.month, 1, 0, 0);
                    ps.setObject(2, from);
                    ps.setObject(3, from.plusMonths(1));
                }
                ps.setFetchSize(1000);
                rows = copy(ps, key.table, zone, file);
            }
            lake.publish(file, path);
        } finally {
            Files.deleteIfExists(file);
        }
        remember(user, key, fingerprint, rows, path);
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

    /** The fingerprint of each UTC month of the user's streams (their zone too: it fills local_date and local_hour). */
    private Map<Key, String> monthFingerprints(String user, ZoneId zone) throws SQLException {
        String year = database.dialect().datePart("YEAR", "ts_utc");
        String month = database.dialect().datePart("MONTH", "ts_utc");
        String sql = "SELECT " + year + ", " + month + ", COUNT(*), SUM(CAST(ms_played AS BIGINT)), SUM(stream_id), "
                + "COUNT(api_played_at), SUM(CASE WHEN ts_precision = 'second' THEN 1 ELSE 0 END), COUNT(platform), "
                + "COUNT(track_uri), SUM(CAST(LENGTH_FN AS BIGINT)) FROM stream WHERE user_id = ? GROUP BY " + year + ", " + month;
        sql = sql.replace("LENGTH_FN", database.dialect() == dev.encore.store.Dialect.SQLSERVER
                ? "LEN(COALESCE(track_name, '') + COALESCE(episode_name, ''))"
                : "LENGTH(COALESCE(track_name, '') || COALESCE(episode_name, ''))");
        Map<Key, String> months = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder fp = new StringBuilder(zone.getId());
                    for (int i = 3; i <= 10; i++) {
                        fp.append('|').append(rs.getString(i));
                    }
                    months.put(new Key(CuratedTable.STREAMS, rs.getInt(1), rs.getInt(2)), fp.toString());
                }
            }
        }
        return months;
    }

    /** Counts and sums that change when a row of the table (or the user's part of it) is added, removed or updated; null when empty. */
    private String fingerprint(CuratedTable table, String user) throws SQLException {
        String sql = switch (table) {
            case PLAYLISTS -> "SELECT COUNT(*), SUM(CAST(import_run_id AS BIGINT)), MAX(fetched_at), SUM(list_position) "
                    + "FROM playlist WHERE user_id = ?";
            case PLAYLIST_ITEMS -> "SELECT COUNT(*), SUM(CAST(import_run_id AS BIGINT)), MAX(fetched_at), SUM(position) "
                    + "FROM playlist_item WHERE user_id = ?";
            case TRACKS -> "SELECT COUNT(*), MAX(described_at) FROM track";
            case ALBUMS -> "SELECT COUNT(*), MAX(described_at) FROM album";
            case ARTISTS -> "SELECT COUNT(*), MAX(described_at) FROM artist";
            case TRACK_ARTISTS -> "SELECT COUNT(*), SUM(position), (SELECT MAX(described_at) FROM track) FROM track_artist";
            case GENRES -> "SELECT COUNT(*), SUM(genre_id), (SELECT MAX(described_at) FROM artist) FROM artist_genre";
            case STREAMS -> throw new IllegalArgumentException("streams are fingerprinted per month");
        };
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (user != null) {
                ps.setString(1, user);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return null;
                }
                StringBuilder fp = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    fp.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                return fp.toString();
            }
        }
    }

    private Map<Key, String> written(String user) throws SQLException {
        Map<Key, String> written = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT table_name, part_year, part_month, fingerprint FROM curated_partition WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CuratedTable table = table(rs.getString(1));
                    if (table != null && (table.split() == CuratedTable.Split.NONE) == user.isEmpty()) {
                        written.put(new Key(table, rs.getInt(2), rs.getInt(3)), rs.getString(4));
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
    private void remember(String user, Key key, String fingerprint, long rows, String path) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
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

    private int update(Connection c, String user, Key key, String fingerprint, long rows, String path) throws SQLException {
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

    private static void bindKey(PreparedStatement ps, int at, String user, Key key) throws SQLException {
        ps.setString(at, key.table.tableName());
        ps.setString(at + 1, user);
        ps.setInt(at + 2, key.year);
        ps.setInt(at + 3, key.month);
    }

    private void forget(String user, Key key) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
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

    /** A partition: a table, and the UTC month for streams (0, 0 otherwise). */
    private record Key(CuratedTable table, int year, int month) {
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
