package dev.encore.insights;

import dev.encore.export.ContentKey;
import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** The SQL behind the insights: users, the streams of a period, genres, first plays. */
public final class InsightsStore {
    // SQL Server takes at most 2,100 parameters per statement
    private static final int IN_CHUNK = 1000;

    /** A user and the extent of their history. */
    public record UserSummary(String user, long streams, String firstStream, String lastStream, String timeZone) {
    }

    private static final String STREAMS = """
            SELECT s.ts_utc, s.ms_played, s.kind, s.content_hash, s.track_uri, s.track_name, s.artist_name,
                   s.album_name, s.show_name, s.episode_name, s.skipped, s.incognito,
                   ar.artist_id, ar.name, ar.image_url, al.album_id, al.image_url
            FROM stream s
            LEFT JOIN name_match nm ON s.track_uri IS NULL AND nm.content_hash = s.content_hash
            LEFT JOIN track t ON t.track_id = COALESCE(SUBSTRING(s.track_uri, 15, 22), nm.track_id)
            LEFT JOIN album al ON al.album_id = t.album_id
            LEFT JOIN track_artist ta ON ta.track_id = t.track_id AND ta.position = 0
            LEFT JOIN artist ar ON ar.artist_id = ta.artist_id
            WHERE s.user_id = ? AND s.ts_utc >= ? AND s.ts_utc < ?""";

    private final DataSource dataSource;

    public InsightsStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<UserSummary> users() throws SQLException {
        List<UserSummary> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("""
                        SELECT u.user_id, u.time_zone, COUNT(s.stream_id), MIN(s.ts_utc), MAX(s.ts_utc)
                        FROM app_user u LEFT JOIN stream s ON s.user_id = u.user_id
                        GROUP BY u.user_id, u.time_zone ORDER BY u.user_id""");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                users.add(new UserSummary(rs.getString(1), rs.getLong(3), text(instant(rs, 4)), text(instant(rs, 5)),
                        rs.getString(2)));
            }
        }
        return users;
    }

    /** The first and last stream of the user, if any. */
    public Optional<Instant[]> extent(String user) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Instant first = edge(c, user, "ASC");
            return first == null ? Optional.empty() : Optional.of(new Instant[] {first, edge(c, user, "DESC")});
        }
    }

    // ORDER BY + FETCH reads one end of the (user_id, ts_utc, ...) index on every database
    private static Instant edge(Connection c, String user, String direction) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ts_utc FROM stream WHERE user_id = ? ORDER BY ts_utc "
                + direction + " OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs, 1) : null;
            }
        }
    }

    /** Every stream of the user that ended in [from, to), with its catalogue description. */
    void streams(String user, long fromSecond, long toSecond, Consumer<ListenedStream> sink) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(STREAMS)) {
            ps.setString(1, user);
            ps.setObject(2, utc(fromSecond));
            ps.setObject(3, utc(toSecond));
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new ListenedStream(rs.getObject(1, LocalDateTime.class).toEpochSecond(ZoneOffset.UTC),
                            rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), bool(rs, 11),
                            bool(rs, 12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                            rs.getString(17)));
                }
            }
        }
    }

    /** Genre names per artist, for the given catalogue artists (Spotify's or MusicBrainz's). */
    Map<String, List<String>> genres(Set<String> artistIds) throws SQLException {
        Map<String, Set<String>> genres = new HashMap<>();
        List<String> ids = new ArrayList<>(artistIds);
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < ids.size(); i += IN_CHUNK) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
                try (PreparedStatement ps = c.prepareStatement("SELECT ag.artist_id, g.name FROM artist_genre ag "
                        + "JOIN genre g ON g.genre_id = ag.genre_id WHERE ag.artist_id IN (" + marks(chunk.size()) + ")")) {
                    for (int j = 0; j < chunk.size(); j++) {
                        ps.setString(j + 1, chunk.get(j));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            genres.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                        }
                    }
                }
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        genres.forEach((id, names) -> out.put(id, List.copyOf(names)));
        return out;
    }

    /**
     * Of the export artist names streamed in [from, to), those already streamed before {@code from}
     * as counted music, normalised. One probe of the (user_id, artist_name, ts_utc) index per name.
     */
    Set<String> heardBefore(String user, long fromSecond, long toSecond, ListeningRules rules) throws SQLException {
        List<String> kinds = List.copyOf(rules.musicKinds());
        String sql = "SELECT p.artist_name FROM (SELECT DISTINCT artist_name FROM stream "
                + "WHERE user_id = ? AND ts_utc >= ? AND ts_utc < ? AND artist_name IS NOT NULL) p "
                + "WHERE EXISTS (SELECT 1 FROM stream e WHERE e.user_id = ? AND e.artist_name = p.artist_name "
                + "AND e.ts_utc < ? AND e.kind IN (" + marks(kinds.size()) + ")"
                + (rules.includeIncognito() ? "" : " AND (e.incognito IS NULL OR e.incognito = ?)") + ")";
        Set<String> heard = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, user);
            ps.setObject(i++, utc(fromSecond));
            ps.setObject(i++, utc(toSecond));
            ps.setString(i++, user);
            ps.setObject(i++, utc(fromSecond));
            for (String kind : kinds) {
                ps.setString(i++, kind);
            }
            if (!rules.includeIncognito()) {
                ps.setBoolean(i, false);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heard.add(ContentKey.normalise(rs.getString(1)));
                }
            }
        }
        return heard;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static LocalDateTime utc(long epochSecond) {
        return Database.utc(Instant.ofEpochSecond(epochSecond));
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
