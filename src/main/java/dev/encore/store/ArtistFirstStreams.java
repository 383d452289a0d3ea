package dev.encore.store;

import dev.encore.export.ContentKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * When each user first streamed each artist ({@code artist_first_stream}), per stream kind and
 * private session or not, so "new artists of a period" is one small read instead of a search
 * through the whole history before it. Kept up to date by every import, in its transaction.
 */
public final class ArtistFirstStreams {
    private record Key(String artist, String kind, boolean privateSession) {
    }

    private final Map<Key, Instant> firsts = new HashMap<>();

    /** Notes a stream of the file being loaded. */
    public void add(String artistName, String kind, Boolean incognito, Instant endedAt) {
        String artist = ContentKey.normalise(artistName);
        if (!artist.isEmpty()) {
            firsts.merge(new Key(artist, kind, Boolean.TRUE.equals(incognito)), endedAt,
                    (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    /**
     * Writes what the file added, inside the import's transaction (which holds the user's lock):
     * new artists, and earlier first streams. The user's stored rows are read once and compared
     * here, so that an export's later files, whose artists are mostly known and heard later, write
     * only what they change, not a statement per artist.
     */
    public void save(Connection c, String user) throws SQLException {
        if (firsts.isEmpty()) {
            return;
        }
        // as the table keys them (two names of one hash would be one row: the earlier first wins)
        Map<StoredKey, First> found = new HashMap<>();
        for (Map.Entry<Key, Instant> e : firsts.entrySet()) {
            Key k = e.getKey();
            found.merge(new StoredKey(hash(k.artist()), k.kind(), k.privateSession() ? 1 : 0), new First(k.artist(), e.getValue()),
                    (a, b) -> a.at().isBefore(b.at()) ? a : b);
        }
        Map<StoredKey, Instant> stored = stored(c, user);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO artist_first_stream "
                + "(user_id, artist_hash, kind, private_session, artist_key, first_ts_utc) VALUES (?, ?, ?, ?, ?, ?)");
                PreparedStatement earlier = c.prepareStatement("UPDATE artist_first_stream SET first_ts_utc = ? "
                        + "WHERE user_id = ? AND artist_hash = ? AND kind = ? AND private_session = ?")) {
            int inserts = 0, updates = 0;
            for (Map.Entry<StoredKey, First> e : found.entrySet()) {
                StoredKey key = e.getKey();
                Instant known = stored.get(key);
                if (known == null) {
                    bind(insert, user, key.hash(), key.kind(), key.session(), e.getValue().artist(), Database.utc(e.getValue().at()));
                    insert.addBatch();
                    inserts++;
                } else if (e.getValue().at().isBefore(known)) {
                    bind(earlier, Database.utc(e.getValue().at()), user, key.hash(), key.kind(), key.session());
                    earlier.addBatch();
                    updates++;
                }
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                earlier.executeBatch();
            }
        }
        firsts.clear();
    }

    /** A stored row's key: the artist by its hash, as the table holds it. */
    private record StoredKey(long hash, String kind, int session) {
    }

    /** An artist's first stream in what is being saved, by its normalised name. */
    private record First(String artist, Instant at) {
    }

    private static Map<StoredKey, Instant> stored(Connection c, String user) throws SQLException {
        Map<StoredKey, Instant> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT artist_hash, kind, private_session, first_ts_utc "
                + "FROM artist_first_stream WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(new StoredKey(rs.getLong(1), rs.getString(2), rs.getInt(3)), Database.instant(rs, 4));
                }
            }
        }
        return stored;
    }

    /**
     * The normalised artist names the user streamed before {@code before}, counting only the
     * given kinds and, unless asked, no private sessions.
     */
    public static Set<String> heardBefore(Connection c, String user, Instant before, List<String> kinds,
            boolean includePrivate) throws SQLException {
        String sql = "SELECT DISTINCT artist_key FROM artist_first_stream WHERE user_id = ? AND first_ts_utc < ? AND kind IN ("
                + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?")) + ")"
                + (includePrivate ? "" : " AND private_session = 0");
        Set<String> artists = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            ps.setObject(2, Database.utc(before));
            for (int i = 0; i < kinds.size(); i++) {
                ps.setString(3 + i, kinds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    artists.add(rs.getString(1));
                }
            }
        }
        return artists;
    }

    /** Fills the table from the streams already stored (a database from before it existed). */
    public static void backfillIfEmpty(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM artist_first_stream")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            c.setAutoCommit(false);
            Map<String, ArtistFirstStreams> perUser = new HashMap<>();
            try (ResultSet rs = st.executeQuery(FROM_STREAMS + " GROUP BY user_id, artist_name, kind, incognito")) {
                while (rs.next()) {
                    perUser.computeIfAbsent(rs.getString(1), u -> new ArtistFirstStreams()).addStored(rs);
                }
            }
            for (Map.Entry<String, ArtistFirstStreams> e : perUser.entrySet()) {
                e.getValue().save(c, e.getKey());
            }
            c.commit();
        }
    }

    /**
     * Rebuilds the user's rows from the streams as stored, inside the caller's transaction. For
     * account data: its records may repeat streams stored from extended history (as private, or
     * as music), and extended records upgrade stored account rows in place, so what was read is
     * not what is stored.
     */
    public static void rebuild(Connection c, String user) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM artist_first_stream WHERE user_id = ?")) {
            delete.setString(1, user);
            delete.executeUpdate();
        }
        ArtistFirstStreams firsts = new ArtistFirstStreams();
        try (PreparedStatement ps = c.prepareStatement(FROM_STREAMS + " AND user_id = ? GROUP BY user_id, artist_name, kind, incognito")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    firsts.addStored(rs);
                }
            }
        }
        firsts.save(c, user);
    }

    private static final String FROM_STREAMS =
            "SELECT user_id, artist_name, kind, incognito, MIN(ts_utc) FROM stream WHERE artist_name IS NOT NULL";

    private void addStored(ResultSet rs) throws SQLException {
        boolean incognito = rs.getBoolean(4);
        add(rs.getString(2), rs.getString(3), incognito, Database.instant(rs, 5));
    }

    // a short key: SQL Server cannot index 1,000-character names
    private static long hash(String normalisedArtist) {
        return ContentKey.of(null, normalisedArtist, null, null, null, null);
    }

    private static void bind(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
