package dev.encore.live;

import dev.encore.store.Database;
import dev.encore.store.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where each user's extraction stands ({@code live_cursor}): the recently-played {@code after},
 * the newest saved track, the last top fetch, the last read of the library (playlists and saved
 * tracks), each playlist's snapshot. Moved only after the raw
 * file of the answer it stands for is durable (see {@link LiveExtraction}).
 */
public final class LiveCursors {
    static final String RECENTLY_PLAYED = "recently-played";
    static final String SAVED_TRACKS = "saved-tracks";
    static final String TOP = "top";
    static final String LIBRARY = "library";
    static final String PLAYLIST = "playlist:";

    private final DataSource dataSource;
    private final Clock clock;

    public LiveCursors(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Optional<String> get(String user, String cursor) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cursor_value FROM live_cursor WHERE user_id = ? AND cursor_name = ?")) {
            ps.setString(1, user);
            ps.setString(2, cursor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Sets the cursor: an UPDATE, or the first INSERT (portable; no MERGE or ON CONFLICT). */
    public void set(String user, String cursor, String value) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (update(c, user, cursor, value) == 1) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO live_cursor (user_id, cursor_name, cursor_value, updated_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, user);
                ps.setString(2, cursor);
                ps.setString(3, value);
                ps.setObject(4, Database.utc(clock.instant()));
                ps.executeUpdate();
            } catch (SQLException e) {
                // inserted meanwhile by a replica that took over this user's poll: then ours is the newer answer
                if (!SqlErrors.isConstraintViolation(e) || update(c, user, cursor, value) != 1) {
                    throw e;
                }
            }
        }
    }

    private int update(Connection c, String user, String cursor, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE live_cursor SET cursor_value = ?, updated_at = ? WHERE user_id = ? AND cursor_name = ?")) {
            ps.setString(1, value);
            ps.setObject(2, Database.utc(clock.instant()));
            ps.setString(3, user);
            ps.setString(4, cursor);
            return ps.executeUpdate();
        }
    }
}
