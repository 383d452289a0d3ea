package dev.encore.insights;

import dev.encore.store.ArtistFirstStreams;
import dev.encore.store.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/** The SQL behind the insights: users, their histories (kept in memory), the catalogue, first plays. */
public final class InsightsStore {
    /**
     * A user and the extent of their history.
     *
     * @param openGaps stretches of time whose plays the Web API may have left out (see ListeningGaps)
     */
    public record UserSummary(String user, long streams, String firstStream, String lastStream, String timeZone,
            long openGaps) {
    }

    // the natural key's index gives the time order; the catalogue is joined in memory (CatalogueSnapshot)
    private static final String STREAMS = """
            SELECT ts_utc, ms_played, kind, content_hash, track_uri, track_name, artist_name,
                   album_name, show_name, episode_name, skipped, incognito
            FROM stream
            WHERE user_id = ?
            ORDER BY ts_utc""";

    private final DataSource dataSource;
    private final long maxCachedStreams;
    private final Map<String, ListeningHistory> histories = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Read> reading = new HashMap<>(); // guarded by histories
    private volatile CatalogueSnapshot catalogue;

    public InsightsStore(DataSource dataSource, long maxCachedStreams) {
        this.dataSource = dataSource;
        this.maxCachedStreams = maxCachedStreams;
    }

    /**
     * Every user with the extent of their history. Counting a million streams would read them all;
     * the loads' own counts say the same (streams are only added by loads, and only removed when an
     * export takes a polled play's place, which its run counts as replaced), and the first and last
     * stream are the two ends of the natural key's index.
     */
    public List<UserSummary> users() throws SQLException {
        List<UserSummary> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT u.user_id, u.time_zone,
                           (SELECT COALESCE(SUM(r.records_inserted - r.records_replaced), 0) FROM import_run r
                            WHERE r.user_id = u.user_id AND r.status = ?),
                           (SELECT COUNT(*) FROM listening_gap g WHERE g.user_id = u.user_id AND g.closed_at IS NULL)
                    FROM app_user u ORDER BY u.user_id""")) {
                ps.setString(1, RunStatus.LOADED.dbValue());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(new UserSummary(rs.getString(1), rs.getLong(3), null, null, rs.getString(2), rs.getLong(4)));
                    }
                }
            }
            List<UserSummary> withExtent = new ArrayList<>(users.size());
            for (UserSummary u : users) {
                withExtent.add(new UserSummary(u.user(), u.streams(), text(edge(c, u.user(), "ASC")),
                        text(edge(c, u.user(), "DESC")), u.timeZone(), u.openGaps()));
            }
            return withExtent;
        }
    }

    private static Instant edge(Connection c, String user, String direction) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ts_utc FROM stream WHERE user_id = ? ORDER BY ts_utc "
                + direction + " OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs, 1) : null;
            }
        }
    }

    /**
     * The user's whole history, from memory when no import has touched it since it was read.
     * Users are kept while their streams fit into {@code maxCachedStreams}, the least recently
     * asked for leaving first. Requests for a history that is being read wait for that read
     * instead of starting their own (a burst for one user holds one copy, not one each).
     */
    ListeningHistory history(String user) throws SQLException {
        String version = version(user);
        Read read;
        boolean reader;
        synchronized (histories) {
            ListeningHistory cached = histories.get(user);
            if (cached != null && cached.version().equals(version)) {
                return cached;
            }
            read = reading.get(user);
            reader = read == null || !read.version().equals(version);
            if (reader) {
                read = new Read(version, new CompletableFuture<>());
                reading.put(user, read);
            }
        }
        if (!reader) {
            return read.awaited(user); // outside the lock, which the reader needs to finish
        }
        try {
            ListeningHistory loaded = load(user, version);
            synchronized (histories) {
                reading.remove(user, read);
                keep(user, loaded);
            }
            read.result().complete(loaded);
            return loaded;
        } catch (SQLException | RuntimeException | Error e) {
            synchronized (histories) {
                reading.remove(user, read);
            }
            read.result().completeExceptionally(e);
            throw e;
        }
    }

    // guarded by histories
    private void keep(String user, ListeningHistory loaded) {
        histories.put(user, loaded);
        long total = histories.values().stream().mapToLong(ListeningHistory::size).sum();
        var eldest = histories.entrySet().iterator();
        while (total > maxCachedStreams && eldest.hasNext()) {
            var e = eldest.next();
            if (!e.getKey().equals(user)) {
                total -= e.getValue().size();
                eldest.remove();
            }
        }
    }

    /** A read of one version of a user's history under way, which other requests for it wait for. */
    private record Read(String version, CompletableFuture<ListeningHistory> result) {
        ListeningHistory awaited(String user) throws SQLException {
            try {
                return result.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException s) {
                    throw new SQLException("Reading the history of " + user + " failed: " + s.getMessage(), s.getSQLState(), s);
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }

    // a load finishes its import_run in the transaction that adds its streams
    private String version(String user) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), MAX(import_run_id) FROM import_run WHERE user_id = ? AND status = ?")) {
            ps.setString(1, user);
            ps.setString(2, RunStatus.LOADED.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) + "/" + rs.getLong(2);
            }
        }
    }

    /**
     * Reads every stream of the user in time order. A million rows are never held by the
     * database driver: PostgreSQL fetches them through a cursor (which needs a transaction), H2
     * runs the query lazily (it would otherwise spool the result to disk beyond MAX_MEMORY_ROWS).
     */
    private ListeningHistory load(String user, String version) throws SQLException {
        List<ListenedStream> streams = new ArrayList<>();
        Map<String, String> names = new HashMap<>(); // one String per distinct name
        Map<Long, Long> keys = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean h2 = c.getMetaData().getURL().startsWith("jdbc:h2:");
            c.setAutoCommit(false);
            if (h2) {
                execute(c, "SET LAZY_QUERY_EXECUTION TRUE");
            }
            try (PreparedStatement ps = c.prepareStatement(STREAMS)) {
                ps.setString(1, user);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        streams.add(new ListenedStream(rs.getObject(1, LocalDateTime.class).toEpochSecond(ZoneOffset.UTC),
                                rs.getInt(2), once(names, rs.getString(3)), keys.computeIfAbsent(rs.getLong(4), k -> k),
                                once(names, rs.getString(5)),
                                once(names, rs.getString(6)), once(names, rs.getString(7)), once(names, rs.getString(8)),
                                once(names, rs.getString(9)), once(names, rs.getString(10)), bool(rs, 11), bool(rs, 12)));
                    }
                }
            } finally {
                try {
                    c.rollback(); // read only
                } finally {
                    if (h2) { // a session setting: the pool would hand it on to the next borrower
                        execute(c, "SET LAZY_QUERY_EXECUTION FALSE");
                    }
                }
            }
        }
        return new ListeningHistory(version, streams.toArray(new ListenedStream[0]));
    }

    private static String once(Map<String, String> names, String name) {
        return name == null ? null : names.computeIfAbsent(name, n -> n);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The catalogue as enrichment has left it (reloaded only when it changed). */
    CatalogueSnapshot catalogue() throws SQLException {
        CatalogueSnapshot current = CatalogueSnapshot.refresh(dataSource, catalogue);
        catalogue = current;
        return current;
    }

    /** The normalised export artist names the user streamed as counted music before {@code fromSecond}. */
    Set<String> heardBefore(String user, long fromSecond, ListeningRules rules) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ArtistFirstStreams.heardBefore(c, user, Instant.ofEpochSecond(fromSecond),
                    List.copyOf(rules.musicKinds()), rules.includeIncognito());
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Boolean bool(ResultSet rs, int column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
