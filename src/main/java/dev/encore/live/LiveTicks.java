package dev.encore.live;

import dev.encore.connect.UserTokens;
import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The units of work of the hourly extraction, in the warehouse: a tick ({@code live_tick}) with
 * one row per connected user ({@code live_poll}), which every replica's workers claim one at a
 * time with a conditional UPDATE, so each user is polled once per tick however many replicas run.
 * A claim older than the lease belonged to a replica that died: the next claimant takes it over.
 * The tick also carries what the daily call budget leaves for it (see {@link #reserve}).
 */
public final class LiveTicks {
    private static final Logger LOG = LoggerFactory.getLogger(LiveTicks.class);
    /** How many open rows one claim attempt looks at: a few, so that competing replicas spread out. */
    private static final int CANDIDATES = 8;
    /** How long finished ticks are kept (for operators; the budget needs only the last day). */
    static final Duration KEPT = Duration.ofDays(30);

    private final DataSource dataSource;
    private final UserTokens users;
    private final Clock clock;
    private final Duration lease;
    private final int dailyBudget;
    private final String claimant;

    /**
     * @param dailyBudget the most Web API calls the extraction may make in any 24 hours; 0: no limit
     * @param claimant    this replica's name in {@code live_poll.claimed_by}
     */
    public LiveTicks(DataSource dataSource, UserTokens users, Clock clock, Duration lease, int dailyBudget, String claimant) {
        this.dataSource = dataSource;
        this.users = users;
        this.clock = clock;
        this.lease = lease;
        this.dailyBudget = dailyBudget;
        this.claimant = claimant;
    }

    /** A user's row of a tick, claimed by this replica. */
    public record Claim(long tickId, String user) {
    }

    /**
     * Opens a tick for every connected user. Rows of earlier ticks nobody took (or whose claimant
     * died) are superseded: the new tick polls those users anyway.
     */
    public long open() throws SQLException {
        List<String> connected = users.connectedUsers();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int used = callsSince(c, now.minus(Duration.ofHours(24)));
                int n = connected.size();
                int essential = n;
                int optional = Integer.MAX_VALUE / 2;
                String note = null;
                if (dailyBudget > 0) {
                    int left = Math.max(0, dailyBudget - used);
                    essential = Math.min(n, left);
                    optional = left - essential;
                    note = "budget " + dailyBudget + " calls a day, " + used + " made in the last 24 h: " + left + " left";
                    if (essential < n) {
                        note += "; recently-played deferred for " + (n - essential) + " of " + n + " users";
                    } else if (optional < n) {
                        note += "; playlists, top items and saved tracks only as far as " + optional + " calls go";
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE live_poll SET status = 'superseded', finished_at = ? "
                        + "WHERE status = 'open' OR (status = 'claimed' AND claimed_at < ?)")) {
                    ps.setObject(1, Database.utc(now));
                    ps.setObject(2, Database.utc(now.minus(lease)));
                    int superseded = ps.executeUpdate();
                    if (superseded > 0) {
                        LOG.warn("{} user poll(s) of earlier ticks were never finished; this tick polls those users", superseded);
                    }
                }
                forgetOldTicks(c, now.minus(KEPT));
                long tickId;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO live_tick (opened_at, opened_by, users, "
                        + "essential_left, optional_left, budget_note) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setObject(1, Database.utc(now));
                    ps.setString(2, claimant);
                    ps.setInt(3, n);
                    ps.setInt(4, essential);
                    ps.setInt(5, optional);
                    ps.setString(6, note);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        tickId = keys.getLong(1);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO live_poll (tick_id, user_id, status, attempts, calls, raw_files, deferred) VALUES (?, ?, 'open', 0, 0, 0, 0)")) {
                    for (String user : connected) {
                        ps.setLong(1, tickId);
                        ps.setString(2, user);
                        ps.addBatch();
                    }
                    if (!connected.isEmpty()) {
                        ps.executeBatch();
                    }
                }
                c.commit();
                if (note != null && (essential < n || optional < n)) {
                    LOG.warn("Live tick {}: {}", tickId, note);
                }
                LOG.info("Live tick {} opened for {} connected user(s)", tickId, n);
                return tickId;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The next user of any open tick for this replica, or null when there is none left. */
    public Claim claimNext() throws SQLException {
        Instant now = clock.instant();
        Instant expired = now.minus(lease);
        try (Connection c = dataSource.getConnection()) {
            List<Claim> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tick_id, user_id FROM live_poll "
                    + "WHERE status = 'open' OR (status = 'claimed' AND claimed_at < ?) ORDER BY tick_id, user_id")) {
                ps.setMaxRows(CANDIDATES);
                ps.setObject(1, Database.utc(expired));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(new Claim(rs.getLong(1), rs.getString(2)));
                    }
                }
            }
            // one UPDATE per row, so of two replicas after the same row exactly one gets it
            try (PreparedStatement ps = c.prepareStatement("UPDATE live_poll SET status = 'claimed', claimed_by = ?, "
                    + "claimed_at = ?, attempts = attempts + 1 WHERE tick_id = ? AND user_id = ? "
                    + "AND (status = 'open' OR (status = 'claimed' AND claimed_at < ?))")) {
                for (Claim candidate : candidates) {
                    ps.setString(1, claimant);
                    ps.setObject(2, Database.utc(now));
                    ps.setLong(3, candidate.tickId());
                    ps.setString(4, candidate.user());
                    ps.setObject(5, Database.utc(expired));
                    if (ps.executeUpdate() == 1) {
                        return candidate;
                    }
                }
            }
            // all candidates went to other replicas meanwhile; more may be open
            return candidates.isEmpty() ? null : claimNext();
        }
    }

    /** True while some tick has users nobody polled yet (or whose claimant died). */
    public boolean anyOpen() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM live_poll "
                     + "WHERE status = 'open' OR (status = 'claimed' AND claimed_at < ?)")) {
            ps.setObject(1, Database.utc(clock.instant().minus(lease)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * Takes one call from what the tick's budget leaves: a recently-played call from its share (one
     * per user), any other call from the rest. False: the call is deferred to a later tick.
     */
    public boolean reserve(long tickId, boolean essential) throws SQLException {
        String column = essential ? "essential_left" : "optional_left";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE live_tick SET " + column + " = " + column + " - 1 "
                     + "WHERE tick_id = ? AND " + column + " > 0")) {
            ps.setLong(1, tickId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records how a claimed poll ended; only the claimant's row (a takeover may have happened). */
    public void finish(Claim claim, String status, int calls, int rawFiles, int deferred, String note) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE live_poll SET status = ?, finished_at = ?, calls = ?, "
                     + "raw_files = ?, deferred = ?, note = ? WHERE tick_id = ? AND user_id = ? AND status = 'claimed' AND claimed_by = ?")) {
            ps.setString(1, status);
            ps.setObject(2, Database.utc(clock.instant()));
            ps.setInt(3, calls);
            ps.setInt(4, rawFiles);
            ps.setInt(5, deferred);
            ps.setString(6, note == null ? null : note.length() > 500 ? note.substring(0, 500) : note);
            ps.setLong(7, claim.tickId());
            ps.setString(8, claim.user());
            ps.setString(9, claimant);
            if (ps.executeUpdate() == 0) {
                LOG.warn("The poll of {} in tick {} was taken over by another replica before it finished here", claim.user(),
                        claim.tickId());
            }
        }
    }

    /** How the users of one tick stand: polls per status, and the calls and raw files of the finished ones. */
    public record TickState(long tickId, Map<String, Integer> users, int calls, int rawFiles, int deferred, String budgetNote) {
        public int count(String status) {
            return users.getOrDefault(status, 0);
        }

        /** True once no user of the tick waits or is being polled. */
        public boolean finished() {
            return count("open") == 0 && count("claimed") == 0;
        }
    }

    public TickState state(long tickId) throws SQLException {
        Map<String, Integer> users = new LinkedHashMap<>();
        int calls = 0;
        int raw = 0;
        int deferred = 0;
        String note = null;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*), SUM(calls), SUM(raw_files), SUM(deferred) "
                    + "FROM live_poll WHERE tick_id = ? GROUP BY status ORDER BY status")) {
                ps.setLong(1, tickId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.put(rs.getString(1), rs.getInt(2));
                        calls += rs.getInt(3);
                        raw += rs.getInt(4);
                        deferred += rs.getInt(5);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT budget_note FROM live_tick WHERE tick_id = ?")) {
                ps.setLong(1, tickId);
                try (ResultSet rs = ps.executeQuery()) {
                    note = rs.next() ? rs.getString(1) : null;
                }
            }
        }
        return new TickState(tickId, users, calls, raw, deferred, note);
    }

    private static void forgetOldTicks(Connection c, Instant before) throws SQLException {
        try (PreparedStatement polls = c.prepareStatement("DELETE FROM live_poll WHERE tick_id IN "
                + "(SELECT tick_id FROM live_tick WHERE opened_at < ?)");
             PreparedStatement ticks = c.prepareStatement("DELETE FROM live_tick WHERE opened_at < ?")) {
            polls.setObject(1, Database.utc(before));
            polls.executeUpdate();
            ticks.setObject(1, Database.utc(before));
            ticks.executeUpdate();
        }
    }

    /** The calls the extraction made in polls finished since {@code since} (the budget's rolling window). */
    private static int callsSince(Connection c, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(p.calls), 0) FROM live_poll p "
                + "JOIN live_tick t ON t.tick_id = p.tick_id WHERE t.opened_at >= ?")) {
            ps.setObject(1, Database.utc(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
