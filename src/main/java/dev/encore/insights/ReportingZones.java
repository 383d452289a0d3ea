package dev.encore.insights;

import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Each user's reporting time zone: their own ({@code app_user.time_zone}) or the configured
 * default. The zone's UTC offsets over time are written to {@code user_utc_offset}, so that the
 * SQL views show the same local days and hours as the API, on every database.
 */
public final class ReportingZones {
    // wide enough for any export (Spotify began in 2008) and any report someone will run
    private static final Instant FIRST = Instant.parse("1990-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("2100-01-01T00:00:00Z");

    private final DataSource dataSource;
    private final ZoneId defaultZone;

    public ReportingZones(DataSource dataSource, ZoneId defaultZone) {
        this.dataSource = dataSource;
        this.defaultZone = defaultZone;
    }

    /** Parses an IANA zone name, or says what is wrong with it. */
    public static ZoneId parse(String name, String what) {
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new BadRequestException(what + " '" + name + "' is not a time zone; use an IANA name such as Europe/Madrid or UTC");
        }
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    /** The user's zone, or empty when there is no such user. */
    public Optional<ZoneId> zoneOf(String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return zoneOf(c, userId);
        }
    }

    private Optional<ZoneId> zoneOf(Connection c, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT time_zone FROM app_user WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String zone = rs.getString(1);
                return Optional.of(zone == null || zone.isBlank() ? defaultZone : ZoneId.of(zone));
            }
        }
    }

    /** Stores the user's own zone; false when there is no such user. */
    public boolean setZone(String userId, ZoneId zone) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE app_user SET time_zone = ? WHERE user_id = ?")) {
            ps.setString(1, zone.getId());
            ps.setString(2, userId);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        ensure(userId);
        return true;
    }

    /** Writes the user's offsets unless they are there already, for the zone in force. */
    public void ensure(String userId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // the user's row lock: two imports of a new user, or an import and a change of zone, take turns
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET time_zone = time_zone WHERE user_id = ?")) {
                ps.setString(1, userId);
                ps.executeUpdate();
            }
            Optional<ZoneId> zone = zoneOf(c, userId); // read under the lock: a zone just set wins
            if (zone.isEmpty()) {
                c.rollback();
                return;
            }
            // up to date: offsets written, all of them for the zone in force
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), "
                    + "SUM(CASE WHEN time_zone = ? THEN 0 ELSE 1 END) FROM user_utc_offset WHERE user_id = ?")) {
                ps.setString(1, zone.get().getId());
                ps.setString(2, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0 && rs.getInt(2) == 0) {
                        c.rollback();
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_utc_offset WHERE user_id = ?")) {
                ps.setString(1, userId);
                ps.executeUpdate();
            }
            write(c, userId, zone.get());
            c.commit();
        }
    }

    /**
     * At start: every user's offsets, in case the default zone changed while Encore was down. One
     * query finds the users whose offsets are missing or of another zone (it may name a few more
     * than need it; {@link #ensure} decides), so a start with thousands of users stays quick.
     */
    public void ensureAll() throws SQLException {
        java.util.List<String> stale = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT u.user_id FROM app_user u"
                        + " WHERE NOT EXISTS (SELECT 1 FROM user_utc_offset o WHERE o.user_id = u.user_id)"
                        + " OR EXISTS (SELECT 1 FROM user_utc_offset o WHERE o.user_id = u.user_id AND o.time_zone <>"
                        + " CASE WHEN u.time_zone IS NULL OR TRIM(u.time_zone) = '' THEN ? ELSE u.time_zone END)")) {
            ps.setString(1, defaultZone.getId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String userId : stale) {
            ensure(userId);
        }
    }

    private static void write(Connection c, String userId, ZoneId zone) throws SQLException {
        ZoneRules rules = zone.getRules();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_utc_offset "
                + "(user_id, utc_from, utc_to, offset_minutes, time_zone) VALUES (?, ?, ?, ?, ?)")) {
            Instant from = FIRST;
            while (from.isBefore(LAST)) {
                ZoneOffsetTransition next = rules.nextTransition(from);
                Instant to = next == null || next.getInstant().isAfter(LAST) ? LAST : next.getInstant();
                ZoneOffset offset = rules.getOffset(from);
                ps.setString(1, userId);
                ps.setObject(2, Database.utc(from));
                ps.setObject(3, Database.utc(to));
                ps.setInt(4, offset.getTotalSeconds() / 60);
                ps.setString(5, zone.getId());
                ps.addBatch();
                from = to;
            }
            ps.executeBatch();
        }
    }
}
