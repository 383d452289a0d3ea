package dev.encore.store;

import dev.encore.lake.RawPages.PolledPlay;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One play, whichever came first: the polled plays of recently-played ({@code polled_play}) and
 * the streams of exports, matched one to one (docs/reconciliation.md). A polled play that an
 * export stream holds has no stream of its own; one that none holds is a stream with source
 * {@code api}. Every load that may change the answer, a raw recently-played page or an export
 * file, calls {@link #reconcile} for the time it touched, in its own transaction and under the
 * user's lock, so the stored state is the matching of everything stored, whatever the order of loads.
 *
 * <p>The match: the same recording (track URI, or ISRC through the catalogue, or content hash)
 * and a polled play at P, an export stream ending at T after d ms: T - d - tol &lt;= P &lt;= T + tol
 * (both widened by a minute for account data). In time order, each polled play takes the
 * earliest-ending export stream that is still free: for points and intervals this greedy finds
 * the most matches, and it keeps a track played twice in a row two streams.
 */
public final class PlayReconciler {
    /** The tolerance of the match when none is configured (encore.raw.match-tolerance-seconds). */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(90);
    /** Longer music streams are not looked for further back than this (a polled play's window). */
    static final Duration LONGEST_TRACK = Duration.ofHours(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final Duration tolerance;
    /** How far around a load the polled plays are looked at again: any two that may want one export stream. */
    private final Duration reach;

    public PlayReconciler(Duration tolerance) {
        this.tolerance = tolerance;
        this.reach = LONGEST_TRACK.plus(tolerance.multipliedBy(2)).plus(MINUTE.multipliedBy(2));
    }

    public Duration tolerance() {
        return tolerance;
    }

    /** What a reconciliation changed. */
    public record Result(int streamsInserted, int streamsDeleted, int newlyConfirmed) {
        static final Result NONE = new Result(0, 0, 0);

        public boolean changedStreams() {
            return streamsInserted > 0 || streamsDeleted > 0;
        }
    }

    /** Whether the user has polled plays that an export of {@code [from, to]} may hold: the cheap question first. */
    public boolean hasPolledPlays(Connection c, String user, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM polled_play WHERE user_id = ? AND played_at >= ? "
                + "AND played_at <= ? ORDER BY played_at OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            ps.setObject(2, Database.utc(from.minus(LONGEST_TRACK).minus(tolerance).minus(MINUTE)));
            ps.setObject(3, Database.utc(to.plus(tolerance).plus(MINUTE)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Notes the page's plays in the ledger, each once (a re-read page lists them again).
     *
     * @return how many were new
     */
    public int addPolled(Connection c, String user, long runId, List<PolledPlay> plays) throws SQLException {
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO polled_play (user_id, played_at, track_uri, content_hash, "
                + "duration_ms, track_name, artist_name, album_name, context_type, context_uri, import_run_id) "
                + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM polled_play "
                + "WHERE user_id = ? AND played_at = ? AND track_uri = ?)")) {
            Set<String> inPage = new HashSet<>();
            for (PolledPlay p : plays) {
                if (!inPage.add(p.playedAt() + " " + p.trackUri())) {
                    continue; // listed twice in one answer
                }
                LocalDateTime at = Database.utc(p.playedAt());
                bind(ps, user, at, p.trackUri(), p.contentHash(), p.durationMs(), p.trackName(), p.artistName(),
                        p.albumName(), p.contextType(), p.contextUri(), runId, user, at, p.trackUri());
                added += ps.executeUpdate();
            }
        }
        return added;
    }

    /**
     * Matches the polled plays near {@code [from, to]} with the export streams they may be, and
     * stores the answer: matched polled plays lose their own stream and mark the export stream
     * ({@code api_played_at}); unmatched ones get (or keep) a stream of their own. Polled plays
     * further away keep what they have, and the export streams they hold stay theirs.
     *
     * @param firsts told of every polled-play stream added (a deletion calls for a rebuild instead)
     */
    public Result reconcile(Connection c, String user, Instant from, Instant to, ArtistFirstStreams firsts)
            throws SQLException {
        Instant[] span = reach(from, to);
        List<Point> points = points(c, user, span[0], span[1]);
        if (points.isEmpty()) {
            return Result.NONE;
        }
        Instant first = points.get(0).playedAt;
        Instant last = points.get(points.size() - 1).playedAt;
        Set<Long> heldHere = new HashSet<>();
        for (Point p : points) {
            if (p.confirmedStreamId != null) {
                heldHere.add(p.confirmedStreamId);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Candidate e : candidates(c, user, first.minus(tolerance).minus(MINUTE),
                last.plus(LONGEST_TRACK).plus(tolerance).plus(MINUTE))) {
            // held by a polled play outside what is looked at: not free for these
            if (e.apiPlayedAt == null || heldHere.contains(e.streamId)) {
                candidates.add(e);
            }
        }
        Set<Long> loaded = new HashSet<>();
        candidates.forEach(e -> loaded.add(e.streamId));
        // a polled play held by an export stream beyond the window (a music stream of over an hour) stays held
        points.removeIf(p -> p.confirmedStreamId != null && !loaded.contains(p.confirmedStreamId));
        Map<Point, Candidate> matching = match(points, candidates);
        return store(c, user, points, candidates, matching, firsts);
    }

    /** The polled plays that {@link #reconcile} of {@code [from, to]} looks at, and so the streams it may add, lie in this span. */
    public Instant[] reach(Instant from, Instant to) {
        return new Instant[] {from.minus(reach), to.plus(reach)};
    }

    /** The greedy one-to-one matching in time order (see the class comment). */
    Map<Point, Candidate> match(List<Point> points, List<Candidate> candidates) {
        Map<Point, Candidate> matching = new HashMap<>();
        boolean[] taken = new boolean[candidates.size()];
        for (Point p : points) {
            Instant earliestEnd = p.playedAt.minus(tolerance).minus(MINUTE);
            int i = firstEndingAtOrAfter(candidates, earliestEnd);
            for (; i < candidates.size(); i++) {
                Candidate e = candidates.get(i);
                if (e.endedAt.isAfter(p.playedAt.plus(LONGEST_TRACK).plus(tolerance).plus(MINUTE))) {
                    break;
                }
                if (!taken[i] && e.sameRecording(p) && fits(p.playedAt, e)) {
                    taken[i] = true;
                    matching.put(p, e);
                    break;
                }
            }
        }
        return matching;
    }

    /** T - d - tol &lt;= P &lt;= T + tol, widened by a minute each way for minute-precision (account data) ends. */
    boolean fits(Instant playedAt, Candidate e) {
        Duration slack = e.minutePrecision ? tolerance.plus(MINUTE) : tolerance;
        Instant lo = e.endedAt.minusMillis(e.msPlayed).minus(slack);
        Instant hi = e.endedAt.plus(slack);
        return !playedAt.isBefore(lo) && !playedAt.isAfter(hi);
    }

    private static int firstEndingAtOrAfter(List<Candidate> candidates, Instant t) {
        int lo = 0;
        int hi = candidates.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (candidates.get(mid).endedAt.isBefore(t)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Writes the matching: what changed only, in batches (an export may confirm thousands of polled plays). */
    private Result store(Connection c, String user, List<Point> points, List<Candidate> candidates,
            Map<Point, Candidate> matching, ArtistFirstStreams firsts) throws SQLException {
        int inserted = 0;
        int confirmed = 0;
        Map<Long, Instant> heldBy = new HashMap<>();
        int deleted;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM stream WHERE stream_id = ? AND source = 'api'");
                PreparedStatement mark = c.prepareStatement("UPDATE polled_play SET stream_id = ?, confirmed_stream_id = ? "
                        + "WHERE user_id = ? AND played_at = ? AND track_uri = ?")) {
            for (Point p : points) {
                Candidate e = matching.get(p);
                if (e != null) {
                    heldBy.put(e.streamId, p.playedAt);
                    if (p.streamId != null) {
                        delete.setLong(1, p.streamId);
                        delete.addBatch();
                    }
                    if (p.streamId != null || p.confirmedStreamId == null) {
                        confirmed++;
                    }
                    if (p.streamId != null || !Objects.equals(p.confirmedStreamId, e.streamId)) {
                        mark(mark, null, e.streamId, user, p);
                    }
                } else if (p.streamId == null) {
                    Long id = existingStream(c, user, p);
                    if (id == null) {
                        id = insertStream(c, user, p);
                        inserted++;
                        firsts.add(p.artistName, "music", null, p.playedAt);
                    }
                    mark(mark, id, null, user, p);
                }
            }
            deleted = rows(delete.executeBatch());
            mark.executeBatch();
        }
        try (PreparedStatement hold = c.prepareStatement("UPDATE stream SET api_played_at = ? WHERE stream_id = ?")) {
            for (Candidate e : candidates) {
                Instant wanted = heldBy.get(e.streamId);
                if (!Objects.equals(wanted, e.apiPlayedAt)) {
                    if (wanted == null) {
                        hold.setNull(1, Types.TIMESTAMP);
                    } else {
                        hold.setObject(1, Database.utc(wanted));
                    }
                    hold.setLong(2, e.streamId);
                    hold.addBatch();
                }
            }
            hold.executeBatch();
        }
        return new Result(inserted, deleted, confirmed);
    }

    /** Rows a batch changed; a driver that does not say (SUCCESS_NO_INFO) changed the one row it was aimed at. */
    private static int rows(int[] counts) {
        int n = 0;
        for (int count : counts) {
            n += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
        }
        return n;
    }

    private static void mark(PreparedStatement mark, Long streamId, Long confirmedId, String user, Point p) throws SQLException {
        setLong(mark, 1, streamId);
        setLong(mark, 2, confirmedId);
        mark.setString(3, user);
        mark.setObject(4, Database.utc(p.playedAt));
        mark.setString(5, p.trackUri);
        mark.addBatch();
    }

    /** A stream with the polled play's natural key (user, end, duration, content) is that play already. */
    private static Long existingStream(Connection c, String user, Point p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT stream_id FROM stream WHERE user_id = ? AND ts_utc = ? "
                + "AND ms_played = ? AND content_hash = ?")) {
            bind(ps, user, Database.utc(p.playedAt), p.durationMs, p.contentHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long insertStream(Connection c, String user, Point p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stream (user_id, ts_utc, ts_precision, ms_played, "
                + "ms_played_estimated, kind, content_hash, track_uri, track_name, artist_name, album_name, "
                + "context_type, context_uri, source, import_run_id) "
                + "VALUES (?, ?, 'second', ?, ?, 'music', ?, ?, ?, ?, ?, ?, ?, 'api', ?)", Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, user, Database.utc(p.playedAt), p.durationMs, Boolean.TRUE, p.contentHash, p.trackUri, p.trackName,
                    p.artistName, p.albumName, p.contextType, p.contextUri, p.importRunId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static List<Point> points(Connection c, String user, Instant from, Instant to) throws SQLException {
        List<Point> points = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.played_at, p.track_uri, p.content_hash, p.duration_ms, "
                + "p.track_name, p.artist_name, p.album_name, p.context_type, p.context_uri, p.stream_id, "
                + "p.confirmed_stream_id, p.import_run_id, t.isrc FROM polled_play p "
                + "LEFT JOIN track t ON t.track_id = SUBSTRING(p.track_uri, 15, 22) "
                + "WHERE p.user_id = ? AND p.played_at >= ? AND p.played_at <= ?")) {
            bind(ps, user, Database.utc(from), Database.utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(new Point(Database.instant(rs, 1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), getLong(rs, 10),
                            getLong(rs, 11), rs.getLong(12), isrc(rs.getString(13))));
                }
            }
        }
        points.sort(Comparator.comparing((Point p) -> p.playedAt).thenComparing(p -> p.trackUri));
        return points;
    }

    private static List<Candidate> candidates(Connection c, String user, Instant from, Instant to) throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.stream_id, s.ts_utc, s.ms_played, s.ts_precision, "
                + "s.track_uri, s.content_hash, s.api_played_at, t.isrc FROM stream s "
                + "LEFT JOIN track t ON t.track_id = SUBSTRING(s.track_uri, 15, 22) "
                + "WHERE s.user_id = ? AND s.source = 'export' AND s.kind IN ('music', 'unknown') "
                + "AND s.ts_utc >= ? AND s.ts_utc <= ?")) {
            bind(ps, user, Database.utc(from), Database.utc(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new Candidate(rs.getLong(1), Database.instant(rs, 2), rs.getInt(3), "minute".equals(rs.getString(4)),
                            rs.getString(5), rs.getLong(6), Database.instant(rs, 7), isrc(rs.getString(8))));
                }
            }
        }
        candidates.sort(Comparator.comparing((Candidate e) -> e.endedAt).thenComparingLong(e -> e.streamId));
        return candidates;
    }

    /** A polled play as stored, with the recording's ISRC when enrichment described its track. */
    static final class Point {
        final Instant playedAt;
        final String trackUri;
        final long contentHash;
        final int durationMs;
        final String trackName;
        final String artistName;
        final String albumName;
        final String contextType;
        final String contextUri;
        final Long streamId;
        final Long confirmedStreamId;
        final long importRunId;
        final String isrc;

        Point(Instant playedAt, String trackUri, long contentHash, int durationMs, String trackName, String artistName,
                String albumName, String contextType, String contextUri, Long streamId, Long confirmedStreamId,
                long importRunId, String isrc) {
            this.playedAt = playedAt;
            this.trackUri = trackUri;
            this.contentHash = contentHash;
            this.durationMs = durationMs;
            this.trackName = trackName;
            this.artistName = artistName;
            this.albumName = albumName;
            this.contextType = contextType;
            this.contextUri = contextUri;
            this.streamId = streamId;
            this.confirmedStreamId = confirmedStreamId;
            this.importRunId = importRunId;
            this.isrc = isrc;
        }
    }

    /** An export stream a polled play may be. */
    static final class Candidate {
        final long streamId;
        final Instant endedAt;
        final int msPlayed;
        final boolean minutePrecision;
        final String trackUri;
        final long contentHash;
        final Instant apiPlayedAt;
        final String isrc;

        Candidate(long streamId, Instant endedAt, int msPlayed, boolean minutePrecision, String trackUri, long contentHash,
                Instant apiPlayedAt, String isrc) {
            this.streamId = streamId;
            this.endedAt = endedAt;
            this.msPlayed = msPlayed;
            this.minutePrecision = minutePrecision;
            this.trackUri = trackUri;
            this.contentHash = contentHash;
            this.apiPlayedAt = apiPlayedAt;
            this.isrc = isrc;
        }

        /** Same track URI; or the same names (content hash), which survive relinking; or the same ISRC. */
        boolean sameRecording(Point p) {
            return (trackUri != null && trackUri.equals(p.trackUri)) || contentHash == p.contentHash
                    || (isrc != null && isrc.equals(p.isrc));
        }
    }

    private static String isrc(String s) {
        return s == null || s.isBlank() ? null : s.trim().toUpperCase(Locale.ROOT);
    }


    private static Long getLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}
