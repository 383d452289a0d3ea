package dev.encore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The catalogue tables and the state of enrichment: which IDs the warehouse references but has
 * not described, what is known to be unresolvable, pauses and learned settings.
 */
public final class CatalogueStore {
    private final DataSource dataSource;

    public CatalogueStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record TrackRow(String trackId, String spotifyId, String name, String albumId, Integer durationMs,
            Boolean explicit, Integer discNumber, Integer trackNumber, String isrc, Integer popularity,
            List<String> artistIds) {
    }

    public record AlbumRow(String albumId, String name, String albumType, String releaseDate, String precision,
            Integer totalTracks, String label, Integer popularity, String imageUrl) {
    }

    public record ArtistRow(String artistId, String name, String imageUrl, Long followers, Integer popularity,
            List<String> genres) {
    }

    public void saveTracks(List<TrackRow> tracks) throws SQLException {
        describing(c -> {
            for (TrackRow t : tracks) {
                execute(c, "DELETE FROM track_artist WHERE track_id = ?", t.trackId());
                execute(c, "DELETE FROM track WHERE track_id = ?", t.trackId());
                execute(c, "INSERT INTO track (track_id, spotify_id, name, album_id, duration_ms, explicit, disc_number, "
                                + "track_number, isrc, popularity, described_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        t.trackId(), t.spotifyId(), t.name(), t.albumId(), t.durationMs(), t.explicit(), t.discNumber(),
                        t.trackNumber(), t.isrc(), t.popularity(), Database.utc(Instant.now()));
                for (int i = 0; i < t.artistIds().size(); i++) {
                    execute(c, "INSERT INTO track_artist (track_id, position, artist_id) VALUES (?, ?, ?)",
                            t.trackId(), i, t.artistIds().get(i));
                }
            }
        });
    }

    public void saveAlbums(List<AlbumRow> albums) throws SQLException {
        describing(c -> {
            for (AlbumRow a : albums) {
                execute(c, "DELETE FROM album WHERE album_id = ?", a.albumId());
                execute(c, "INSERT INTO album (album_id, name, album_type, release_date, release_date_precision, "
                                + "total_tracks, label, popularity, image_url, described_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        a.albumId(), a.name(), a.albumType(), a.releaseDate(), a.precision(), a.totalTracks(),
                        a.label(), a.popularity(), a.imageUrl(), Database.utc(Instant.now()));
            }
        });
    }

    public void saveArtists(List<ArtistRow> artists, String genreSource) throws SQLException {
        describing(c -> {
            for (ArtistRow a : artists) {
                execute(c, "DELETE FROM artist WHERE artist_id = ?", a.artistId());
                execute(c, "INSERT INTO artist (artist_id, name, image_url, followers, popularity, described_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?)",
                        a.artistId(), a.name(), a.imageUrl(), a.followers(), a.popularity(), Database.utc(Instant.now()));
                for (String genre : a.genres()) {
                    long genreId = genreId(c, genre);
                    execute(c, "DELETE FROM artist_genre WHERE artist_id = ? AND genre_id = ? AND source = ?",
                            a.artistId(), genreId, genreSource);
                    execute(c, "INSERT INTO artist_genre (artist_id, genre_id, source) VALUES (?, ?, ?)",
                            a.artistId(), genreId, genreSource);
                }
            }
        });
    }

    /** An artist and track name that streams carry without a URI. */
    public record NameOnly(long contentHash, String artistName, String trackName) {
    }

    /** Caches what a search found for a name pair: the track's ID, or null for no exact match. */
    public void saveNameMatch(NameOnly names, String trackId) throws SQLException {
        describing(c -> {
            execute(c, "DELETE FROM name_match WHERE content_hash = ?", names.contentHash());
            execute(c, "INSERT INTO name_match (content_hash, artist_name, track_name, track_id, searched_at) "
                            + "VALUES (?, ?, ?, ?, ?)",
                    names.contentHash(), names.artistName(), names.trackName(), trackId, Database.utc(Instant.now()));
        });
    }

    /** Stores what MusicBrainz said about an artist: its MBID (or null) and genres, with source musicbrainz. */
    public void saveMusicBrainzGenres(String artistId, String mbid, List<String> genres) throws SQLException {
        describing(c -> {
            execute(c, "DELETE FROM musicbrainz_lookup WHERE artist_id = ?", artistId);
            execute(c, "INSERT INTO musicbrainz_lookup (artist_id, mbid, looked_up_at) VALUES (?, ?, ?)",
                    artistId, mbid, Database.utc(Instant.now()));
            for (String genre : genres) {
                long genreId = genreId(c, genre);
                execute(c, "DELETE FROM artist_genre WHERE artist_id = ? AND genre_id = ? AND source = 'musicbrainz'",
                        artistId, genreId);
                execute(c, "INSERT INTO artist_genre (artist_id, genre_id, source) VALUES (?, ?, 'musicbrainz')",
                        artistId, genreId);
            }
        });
    }

    /** Remembers that Spotify has nothing for this ID, so it is not asked again. */
    public void markUnresolved(EntityKind kind, String id, int statusCode, String reason) throws SQLException {
        inTransaction(c -> {
            execute(c, "DELETE FROM unresolved_id WHERE kind = ? AND spotify_id = ?", kind.dbValue(), id);
            execute(c, "INSERT INTO unresolved_id (kind, spotify_id, status_code, reason, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    kind.dbValue(), id, statusCode, reason, Database.utc(Instant.now()));
        });
    }

    public int unresolvedCount() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM unresolved_id");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** When calls to {@code api} may resume, if a pause is in force or was. */
    public Optional<Instant> pausedUntil(String api) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT resume_at FROM api_pause WHERE api = ?")) {
            ps.setString(1, api);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC))
                        : Optional.empty();
            }
        }
    }

    /** Why calls to {@code api} were paused (the 429's kind and Retry-After), if they were. */
    public Optional<String> pauseReason(String api) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT reason FROM api_pause WHERE api = ?")) {
            ps.setString(1, api);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void pause(String api, Instant resumeAt, String reason) throws SQLException {
        inTransaction(c -> {
            execute(c, "DELETE FROM api_pause WHERE api = ?", api);
            execute(c, "INSERT INTO api_pause (api, resume_at, reason, recorded_at) VALUES (?, ?, ?, ?)",
                    api, Database.utc(resumeAt), reason, Database.utc(Instant.now()));
        });
    }

    public Optional<String> setting(String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM api_setting WHERE setting_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void setSetting(String name, String value) throws SQLException {
        inTransaction(c -> {
            execute(c, "DELETE FROM api_setting WHERE setting_name = ?", name);
            execute(c, "INSERT INTO api_setting (setting_name, setting_value, changed_at) VALUES (?, ?, ?)", name, value,
                    Database.utc(Instant.now()));
        });
    }

    private long genreId(Connection c, String name) throws SQLException {
        String normalised = name.trim().toLowerCase(java.util.Locale.ROOT);
        try (PreparedStatement ps = c.prepareStatement("SELECT genre_id FROM genre WHERE name = ?")) {
            ps.setString(1, normalised);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO genre (name) VALUES (?)", new String[] {"genre_id"})) {
            ps.setString(1, normalised);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The setting that changes whenever the catalogue does, so readers know their copy is stale. */
    public static final String CATALOGUE_VERSION = "catalogue_version";

    /** A change to what the catalogue describes, and a new {@link #CATALOGUE_VERSION} with it. */
    private void describing(Work work) throws SQLException {
        inTransaction(c -> {
            work.run(c);
            Object now = Database.utc(java.time.Instant.now());
            String version = java.util.UUID.randomUUID().toString();
            if (execute(c, "UPDATE api_setting SET setting_value = ?, changed_at = ? WHERE setting_name = ?",
                    version, now, CATALOGUE_VERSION) == 0) {
                execute(c, "INSERT INTO api_setting (setting_name, setting_value, changed_at) VALUES (?, ?, ?)",
                        CATALOGUE_VERSION, version, now);
            }
        });
    }

    private static int execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    ps.setNull(i + 1, java.sql.Types.NULL);
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            return ps.executeUpdate();
        }
    }
}
