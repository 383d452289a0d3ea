package dev.encore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Stretches of time whose plays recently-played could not return ({@code listening_gap}): it
 * holds the last 50 plays only, so a full page whose oldest play is newer than the newest play
 * stored may have left plays out. An export whose records span the stretch closes it.
 */
public final class ListeningGaps {
    /** An open gap, as the API shows it. */
    public record Gap(long id, String from, String to, String openedAt) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public ListeningGaps(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The newest stream stored for the user (any source), or null when there is none. */
    public static Instant newestStream(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ts_utc FROM stream WHERE user_id = ? ORDER BY ts_utc DESC OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC) : null;
            }
        }
    }

    /** Records a gap from the newest stored play to the oldest of a full page, once. */
    public boolean open(Connection c, String user, Instant from, Instant to, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO listening_gap (user_id, gap_from, gap_to, opened_at, "
                + "opened_by_run) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM listening_gap "
                + "WHERE user_id = ? AND gap_from = ? AND gap_to = ?)")) {
            ps.setString(1, user);
            ps.setObject(2, Database.utc(from));
            ps.setObject(3, Database.utc(to));
            ps.setObject(4, Database.utc(clock.instant()));
            ps.setLong(5, runId);
            ps.setString(6, user);
            ps.setObject(7, Database.utc(from));
            ps.setObject(8, Database.utc(to));
            return ps.executeUpdate() == 1;
        }
    }

    /** Whether the user has an open gap. */
    public boolean hasOpen(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM listening_gap WHERE user_id = ? AND closed_at IS NULL "
                + "ORDER BY gap_from OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Closes the user's open gaps that lie within {@code [first, last]}, the span of an export's records. */
    public int closeSpanned(Connection c, String user, Instant first, Instant last, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE listening_gap SET closed_at = ?, closed_by_run = ? "
                + "WHERE user_id = ? AND closed_at IS NULL AND gap_from >= ? AND gap_to <= ?")) {
            ps.setObject(1, Database.utc(clock.instant()));
            ps.setLong(2, runId);
            ps.setString(3, user);
            ps.setObject(4, Database.utc(first));
            ps.setObject(5, Database.utc(last));
            return ps.executeUpdate();
        }
    }

    /** The user's open gaps, oldest first. */
    public List<Gap> openGaps(String user) throws SQLException {
        List<Gap> gaps = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT gap_id, gap_from, "
                + "gap_to, opened_at FROM listening_gap WHERE user_id = ? AND closed_at IS NULL ORDER BY gap_from, gap_id")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gaps.add(new Gap(rs.getLong(1), text(rs, 2), text(rs, 3), text(rs, 4)));
                }
            }
        }
        return gaps;
    }

    /** How many gaps the load of one raw file ({@code import_run}) opened. */
    public int openedBy(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM listening_gap WHERE opened_by_run = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String text(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
    }
}
