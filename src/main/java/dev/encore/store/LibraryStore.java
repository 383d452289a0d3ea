package dev.encore.store;

import dev.encore.lake.RawPages.Playlist;
import dev.encore.lake.RawPages.PlaylistItem;
import dev.encore.lake.RawPages.PlaylistItems;
import dev.encore.lake.RawPages.Playlists;
import dev.encore.lake.RawPages.SavedTrack;
import dev.encore.lake.RawPages.SavedTracks;
import dev.encore.lake.RawPages.TopItem;
import dev.encore.lake.RawPages.TopItems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The user's library as the Web API shows it: playlists, their items, top tracks and artists,
 * saved tracks. Written in the caller's transaction. Raw files may load in any order, so a row is
 * only ever replaced by one fetched later ({@code fetched_at}): the newest answer wins.
 *
 * <p>Each method answers how many rows it added: a row an answer only refreshes (a later fetch of
 * the same playlist, position or saved track) is not new.
 */
public final class LibraryStore {
    private LibraryStore() {
    }

    public static int playlists(Connection c, String user, Playlists page, Instant fetchedAt, long runId) throws SQLException {
        int written = 0;
        String set = "playlist_name = ?, description = ?, owner_id = ?, owner_name = ?, is_collaborative = ?, "
                + "is_public = ?, snapshot_id = ?, items_total = ?, list_position = ?, fetched_at = ?, import_run_id = ?";
        try (PreparedStatement update = c.prepareStatement("UPDATE playlist SET " + set
                + " WHERE user_id = ? AND playlist_id = ? AND fetched_at <= ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO playlist (playlist_name, description, owner_id, "
                        + "owner_name, is_collaborative, is_public, snapshot_id, items_total, list_position, fetched_at, "
                        + "import_run_id, user_id, playlist_id) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM playlist WHERE user_id = ? AND playlist_id = ?)")) {
            for (Playlist p : page.playlists()) {
                Object[] values = {p.name(), p.description(), p.ownerId(), p.ownerName(), p.collaborative(), p.isPublic(),
                        p.snapshotId(), p.itemsTotal(), p.position(), Database.utc(fetchedAt), runId, user, p.playlistId()};
                int[] types = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.BOOLEAN, Types.BOOLEAN,
                        Types.VARCHAR, Types.INTEGER, Types.INTEGER, Types.TIMESTAMP, Types.BIGINT, Types.VARCHAR, Types.VARCHAR};
                int i = bind(update, 1, values, types);
                update.setObject(i, Database.utc(fetchedAt));
                if (update.executeUpdate() == 0) {
                    i = bind(insert, 1, values, types);
                    insert.setString(i, user);
                    insert.setString(i + 1, p.playlistId());
                    written += insert.executeUpdate();
                }
            }
        }
        return written;
    }

    /** Replaces the positions the page holds, and drops the positions at or past the playlist's total. */
    public static int playlistItems(Connection c, String user, PlaylistItems page, Instant fetchedAt, long runId)
            throws SQLException {
        int written = 0;
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM playlist_item WHERE user_id = ? AND playlist_id = ? "
                + "AND position = ? AND fetched_at <= ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO playlist_item (user_id, playlist_id, position, "
                        + "item_type, item_uri, item_name, artist_name, album_name, duration_ms, is_local, added_at, added_by, "
                        + "items_total, fetched_at, import_run_id) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM playlist_item WHERE user_id = ? AND playlist_id = ? AND position = ?) "
                        // a later answer said the playlist ends before this position
                        + "AND NOT EXISTS (SELECT 1 FROM playlist_item WHERE user_id = ? AND playlist_id = ? "
                        + "AND fetched_at > ? AND items_total <= ?)")) {
            for (PlaylistItem item : page.items()) {
                delete.setString(1, user);
                delete.setString(2, page.playlistId());
                delete.setInt(3, item.position());
                delete.setObject(4, Database.utc(fetchedAt));
                int replaced = delete.executeUpdate();
                Object[] values = {user, page.playlistId(), item.position(), item.itemType(), item.uri(), item.name(),
                        item.artistName(), item.albumName(), item.durationMs(), item.isLocal(), Database.utc(item.addedAt()),
                        item.addedBy(), page.total(), Database.utc(fetchedAt), runId, user, page.playlistId(), item.position(),
                        user, page.playlistId(), Database.utc(fetchedAt), item.position()};
                int[] types = {Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                        Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.BOOLEAN, Types.TIMESTAMP, Types.VARCHAR,
                        Types.INTEGER, Types.TIMESTAMP, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.INTEGER,
                        Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP, Types.INTEGER};
                bind(insert, 1, values, types);
                written += Math.max(0, insert.executeUpdate() - replaced);
            }
        }
        try (PreparedStatement gone = c.prepareStatement("DELETE FROM playlist_item WHERE user_id = ? AND playlist_id = ? "
                + "AND position >= ? AND fetched_at <= ?")) {
            gone.setString(1, user);
            gone.setString(2, page.playlistId());
            gone.setInt(3, page.total());
            gone.setObject(4, Database.utc(fetchedAt));
            gone.executeUpdate();
        }
        return written;
    }

    /** One day's snapshot of a top list: a later fetch of the same day replaces it. */
    public static int topItems(Connection c, String user, TopItems page, Instant fetchedAt, long runId) throws SQLException {
        LocalDate day = LocalDate.ofInstant(fetchedAt, ZoneOffset.UTC);
        int written = 0;
        String key = "user_id = ? AND item_kind = ? AND time_range = ? AND snapshot_date = ?";
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM top_item WHERE " + key + " AND item_rank = ? AND fetched_at <= ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO top_item (user_id, item_kind, time_range, snapshot_date, "
                        + "item_rank, item_uri, item_name, artist_name, album_name, fetched_at, import_run_id) "
                        + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM top_item WHERE " + key
                        + " AND item_rank = ?)")) {
            for (TopItem t : page.items()) {
                Object[] k = {user, page.itemKind(), page.timeRange(), day, t.rank()};
                int[] kt = {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DATE, Types.INTEGER};
                int i = bind(delete, 1, k, kt);
                delete.setObject(i, Database.utc(fetchedAt));
                int replaced = delete.executeUpdate();
                i = bind(insert, 1, k, kt);
                i = bind(insert, i, new Object[] {t.uri(), t.name(), t.artistName(), t.albumName(), Database.utc(fetchedAt), runId},
                        new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP, Types.BIGINT});
                bind(insert, i, k, kt);
                written += Math.max(0, insert.executeUpdate() - replaced);
            }
        }
        // a shorter list fetched later: its missing ranks are no longer in the top
        try (PreparedStatement shorter = c.prepareStatement("DELETE FROM top_item WHERE " + key
                + " AND item_rank > ? AND fetched_at < ?")) {
            int i = bind(shorter, 1, new Object[] {user, page.itemKind(), page.timeRange(), day, page.items().size()},
                    new int[] {Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DATE, Types.INTEGER});
            shorter.setObject(i, Database.utc(fetchedAt));
            shorter.executeUpdate();
        }
        return written;
    }

    public static int savedTracks(Connection c, String user, SavedTracks page, Instant fetchedAt, long runId) throws SQLException {
        int written = 0;
        try (PreparedStatement update = c.prepareStatement("UPDATE saved_track SET added_at = ?, track_name = ?, artist_name = ?, "
                + "album_name = ?, duration_ms = ?, fetched_at = ?, import_run_id = ? "
                + "WHERE user_id = ? AND track_uri = ? AND fetched_at <= ?");
                PreparedStatement insert = c.prepareStatement("INSERT INTO saved_track (added_at, track_name, artist_name, "
                        + "album_name, duration_ms, fetched_at, import_run_id, user_id, track_uri) "
                        + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM saved_track WHERE user_id = ? AND track_uri = ?)")) {
            for (SavedTrack t : page.tracks()) {
                Object[] values = {Database.utc(t.addedAt()), t.name(), t.artistName(), t.albumName(), t.durationMs(),
                        Database.utc(fetchedAt), runId, user, t.trackUri()};
                int[] types = {Types.TIMESTAMP, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER, Types.TIMESTAMP,
                        Types.BIGINT, Types.VARCHAR, Types.VARCHAR};
                int i = bind(update, 1, values, types);
                update.setObject(i, Database.utc(fetchedAt));
                if (update.executeUpdate() == 0) {
                    i = bind(insert, 1, values, types);
                    insert.setString(i, user);
                    insert.setString(i + 1, t.trackUri());
                    written += insert.executeUpdate();
                }
            }
        }
        return written;
    }

    /** Binds values with typed NULLs (PostgreSQL cannot guess them in a SELECT list); answers the next index. */
    private static int bind(PreparedStatement ps, int index, Object[] values, int[] types) throws SQLException {
        for (int k = 0; k < values.length; k++) {
            if (values[k] == null) {
                ps.setNull(index + k, types[k]);
            } else if (values[k] instanceof LocalDate d) {
                ps.setObject(index + k, d);
            } else {
                ps.setObject(index + k, values[k]);
            }
        }
        return index + values.length;
    }
}
