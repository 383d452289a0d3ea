package dev.encore.insights;

import dev.encore.lake.RawKind;
import dev.encore.store.ArtistFirstStreams;
import dev.encore.store.Database;
import dev.encore.store.Dialect;
import dev.encore.store.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
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

    private static final String USERS = """
            SELECT u.user_id, u.time_zone,
                   (SELECT COALESCE(SUM(r.records_inserted - r.records_replaced), 0) FROM import_run r
                    WHERE r.user_id = u.user_id AND r.status = ? AND %s),
                   (SELECT COUNT(*) FROM listening_gap g WHERE g.user_id = u.user_id AND g.closed_at IS NULL)
            FROM app_user u""".formatted(RawKind.countsStreams("r.format"));

    // the natural key's order (its index gives it); the catalogue is joined in memory (CatalogueSnapshot)
    private static final String COLUMNS = """
            SELECT ts_utc, ms_played, kind, content_hash, track_uri, track_name, artist_name,
                   album_name, show_name, episode_name, skipped, incognito, import_run_id
            FROM stream
            WHERE user_id = ?""";
    private static final String ORDER = " ORDER BY ts_utc, ms_played, content_hash";
    private static final String ALL_STREAMS = COLUMNS + ORDER;
    private static final String STREAMS_BETWEEN = COLUMNS + " AND ts_utc >= ? AND ts_utc <= ?" + ORDER;
    // H2 reads rows through the natural key's index with a look-up in the table for each, and in the
    // table's own order several times faster (docs/benchmarks.md); sorting them in memory is cheap
    private static final String ALL_STREAMS_IN_TABLE_ORDER = COLUMNS.replace("FROM stream", "FROM stream USE INDEX ()");

    private final DataSource dataSource;
    private final long maxCachedStreams;
    private final Map<String, ListeningHistory> histories = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Read> reading = new HashMap<>(); // guarded by histories
    private volatile CatalogueSnapshot catalogue;
    private final AtomicLong fullReads = new AtomicLong();
    private final AtomicLong extensions = new AtomicLong();

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
        return users(true);
    }

    /** @param withExtent with the first and last stream, in user order; else without, the latest loaded first */
    private List<UserSummary> users(boolean withExtent) throws SQLException {
        List<UserSummary> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(withExtent ? USERS + " ORDER BY u.user_id"
                    : USERS + " ORDER BY CASE WHEN u.last_import_at IS NULL THEN 1 ELSE 0 END, u.last_import_at DESC")) {
                ps.setString(1, RunStatus.LOADED.dbValue());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(new UserSummary(rs.getString(1), rs.getLong(3), null, null, rs.getString(2), rs.getLong(4)));
                    }
                }
            }
            if (!withExtent) {
                return users;
            }
            List<UserSummary> extended = new ArrayList<>(users.size());
            for (UserSummary u : users) {
                extended.add(new UserSummary(u.user(), u.streams(), text(edge(c, u.user(), "ASC")),
                        text(edge(c, u.user(), "DESC")), u.timeZone(), u.openGaps()));
            }
            return extended;
        }
    }

    /**
     * The users whose histories fit into the cache together, the most recently loaded first: the
     * ones to read ahead after a start ({@link HistoryWarmer#warmRecent}).
     */
    public List<String> usersThatFit() throws SQLException {
        List<String> fit = new ArrayList<>();
        long total = 0;
        for (UserSummary u : users(false)) {
            if (u.streams() > 0 && total + u.streams() <= maxCachedStreams) {
                fit.add(u.user());
                total += u.streams();
            }
        }
        return fit;
    }

    private static Instant edge(Connection c, String user, String direction) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ts_utc FROM stream WHERE user_id = ? ORDER BY ts_utc "
                + direction + " OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Database.instant(rs, 1) : null;
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
        ListeningHistory cached;
        synchronized (histories) {
            cached = histories.get(user);
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
            ListeningHistory loaded = read(user, cached);
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
     * The user's history as it is now: the stale copy with the streams of the runs loaded since
     * it was read, when those runs only added streams (an export's next file, an hour's plays),
     * or else every stream read again.
     */
    private ListeningHistory read(String user, ListeningHistory stale) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean h2 = Dialect.fromJdbcUrl(c.getMetaData().getURL()) == Dialect.H2;
            LoadedRuns now = LoadedRuns.of(c, user);
            List<Instant[]> spans = stale == null ? null : now.addedSince(stale.runs());
            if (spans != null) {
                Streams added = new Streams(now, stale.runs());
                for (Instant[] span : spans) {
                    streams(c, h2, STREAMS_BETWEEN, user, span, added);
                }
                ListeningHistory extended = stale.plus(now, added.micros(), added.streams());
                if (extended != null) {
                    extensions.incrementAndGet();
                    return extended;
                }
            }
            Streams all = new Streams(now, null);
            if (h2 && scanPays(c, now)) {
                streams(c, true, ALL_STREAMS_IN_TABLE_ORDER, user, null, all);
                all.sort();
            } else {
                streams(c, h2, ALL_STREAMS, user, null, all);
            }
            fullReads.incrementAndGet();
            return new ListeningHistory(now, all.micros(), all.streams());
        }
    }

    /**
     * Whether reading the whole H2 table in its own order beats the index: when the user's streams
     * are a quarter of it or more, as with the embedded default's one or few people. (H2 counts a
     * whole table at once; PostgreSQL chooses its plan itself.)
     */
    private static boolean scanPays(Connection c, LoadedRuns runs) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM stream")) {
            rs.next();
            return runs.streamsEstimate() * 4 >= rs.getLong(1);
        }
    }

    /**
     * Reads the user's streams (those that ended within {@code span}, when given) in the natural
     * key's order. Rows come a batch at a time, never all held by the driver: PostgreSQL fetches
     * them through a cursor (which needs a transaction), H2 runs the query lazily (it would
     * otherwise spool the result to disk beyond MAX_MEMORY_ROWS).
     */
    private static void streams(Connection c, boolean h2, String sql, String user, Instant[] span, Streams sink)
            throws SQLException {
        c.setAutoCommit(false);
        if (h2) {
            execute(c, "SET LAZY_QUERY_EXECUTION TRUE");
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            if (span != null) {
                ps.setObject(2, Database.utc(span[0]));
                ps.setObject(3, Database.utc(span[1]));
            }
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(rs);
                }
            }
        } finally {
            try {
                c.rollback(); // read only
            } finally {
                c.setAutoCommit(true);
                if (h2) { // a session setting: the pool would hand it on to the next borrower
                    execute(c, "SET LAZY_QUERY_EXECUTION FALSE");
                }
            }
        }
    }

    /**
     * The streams read for a history: only those of the runs it is to hold (a run that finished
     * while the rows were read is left for the next look), and not those of runs it holds already.
     */
    private static final class Streams {
        private final LoadedRuns keep;
        private final LoadedRuns held;
        private final List<ListenedStream> streams = new ArrayList<>();
        private long[] micros = new long[1024];
        private final Map<String, String> names = new HashMap<>(); // one String per distinct name
        private final Map<Long, Long> keys = new HashMap<>();

        Streams(LoadedRuns keep, LoadedRuns held) {
            this.keep = keep;
            this.held = held;
        }

        void add(ResultSet rs) throws SQLException {
            long run = rs.getLong(13);
            if (!keep.contains(run) || held != null && held.contains(run)) {
                return;
            }
            LocalDateTime end = rs.getObject(1, LocalDateTime.class);
            long second = end.toEpochSecond(ZoneOffset.UTC);
            if (streams.size() == micros.length) {
                micros = Arrays.copyOf(micros, micros.length * 2);
            }
            micros[streams.size()] = second * 1_000_000L + end.getNano() / 1_000;
            streams.add(new ListenedStream(second, rs.getInt(2), once(names, rs.getString(3)),
                    keys.computeIfAbsent(rs.getLong(4), k -> k), once(names, rs.getString(5)),
                    once(names, rs.getString(6)), once(names, rs.getString(7)), once(names, rs.getString(8)),
                    once(names, rs.getString(9)), once(names, rs.getString(10)), bool(rs, 11), bool(rs, 12)));
        }

        /** Into the natural key's order, for rows read in another. */
        void sort() {
            record Keyed(long micros, ListenedStream stream) {
            }
            Keyed[] keyed = new Keyed[streams.size()];
            for (int i = 0; i < keyed.length; i++) {
                keyed[i] = new Keyed(micros[i], streams.get(i));
            }
            Arrays.sort(keyed, (a, b) -> ListeningHistory.compare(a.micros(), a.stream(), b.micros(), b.stream()));
            for (int i = 0; i < keyed.length; i++) {
                micros[i] = keyed[i].micros();
                streams.set(i, keyed[i].stream());
            }
        }

        long[] micros() {
            return Arrays.copyOf(micros, streams.size());
        }

        ListenedStream[] streams() {
            return streams.toArray(new ListenedStream[0]);
        }
    }

    private static String once(Map<String, String> names, String name) {
        return name == null ? null : names.computeIfAbsent(name, n -> n);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** How many histories were read whole, and how many were brought up to date by reading a load's streams alone. */
    long fullReads() {
        return fullReads.get();
    }

    long extensions() {
        return extensions.get();
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


    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Boolean bool(ResultSet rs, int column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }
}
