package dev.encore.insights;

import dev.encore.store.CatalogueStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What enrichment has described, held in memory: a track's primary artist and album, by track ID
 * or (for name-only streams) by the content key a search matched, and each artist's genres.
 *
 * <p>Joining the catalogue to every stream of a period in SQL cost H2 about 5 µs per stream
 * (0.9 s for a heavy year); a lookup here costs nanoseconds. The copy is reloaded when the
 * catalogue's version (bumped by every enrichment write, see {@link CatalogueStore}) changes.
 */
final class CatalogueSnapshot {
    static final String TRACK_URI_PREFIX = "spotify:track:";

    /** A described track: its primary artist and its album. */
    record Described(String artistId, String artistName, String artistImage, String albumId, String albumImage) {
    }

    /** Before any enrichment. */
    static final CatalogueSnapshot EMPTY = new CatalogueSnapshot("", Map.of(), Map.of(), Map.of());

    private final String version;
    private final Map<String, Described> tracks; // track URI -> description
    private final Map<Long, String> nameMatches; // content key -> track URI
    private final Map<String, List<String>> genres;

    private CatalogueSnapshot(String version, Map<String, Described> tracks, Map<Long, String> nameMatches,
            Map<String, List<String>> genres) {
        this.version = version;
        this.tracks = tracks;
        this.nameMatches = nameMatches;
        this.genres = genres;
    }

    /** The track a stream played as the catalogue describes it, or null. */
    Described find(String trackUri, long contentHash) {
        if (tracks.isEmpty()) {
            return null;
        }
        // keyed by the whole URI: the stream's (shared) URI string hashes once, and no substring is cut per stream
        String uri = trackUri != null ? trackUri : nameMatches.get(contentHash);
        return uri == null ? null : tracks.get(uri);
    }

    List<String> genres(String artistId) {
        return genres.getOrDefault(artistId, List.of());
    }

    /** Loads the catalogue anew, unless {@code current} is still the catalogue's version. */
    static CatalogueSnapshot refresh(DataSource dataSource, CatalogueSnapshot current) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String version = version(c);
            if (current != null && Objects.equals(current.version, version)) {
                return current;
            }
            Map<String, Described> tracks = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT t.track_id, ar.artist_id, ar.name, ar.image_url, al.album_id, al.image_url
                    FROM track t
                    LEFT JOIN track_artist ta ON ta.track_id = t.track_id AND ta.position = 0
                    LEFT JOIN artist ar ON ar.artist_id = ta.artist_id
                    LEFT JOIN album al ON al.album_id = t.album_id""");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tracks.put(TRACK_URI_PREFIX + rs.getString(1), new Described(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
            Map<Long, String> nameMatches = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT content_hash, track_id FROM name_match WHERE track_id IS NOT NULL");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nameMatches.put(rs.getLong(1), TRACK_URI_PREFIX + rs.getString(2));
                }
            }
            Map<String, List<String>> genres = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ag.artist_id, g.name FROM artist_genre ag "
                    + "JOIN genre g ON g.genre_id = ag.genre_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    genres.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
            return new CatalogueSnapshot(version, tracks, nameMatches, genres);
        }
    }

    private static String version(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM api_setting WHERE setting_name = ?")) {
            ps.setString(1, CatalogueStore.CATALOGUE_VERSION);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
