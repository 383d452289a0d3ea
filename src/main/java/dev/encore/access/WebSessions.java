package dev.encore.access;

import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Signed-in browsers ({@code web_session}, V13). The cookie holds a random 256-bit secret; the
 * database only its SHA-256. A session ends when it has not been used for {@code idle}, after
 * {@code lifetime} in any case, at sign-out, and when the account's password changes.
 * <p>
 * The CSRF token of a session is derived from its hash: only a page that can read Encore's
 * answers (its own) learns it, and nothing more needs storing.
 */
public final class WebSessions {
    /** The cookie's name (HttpOnly: no script reads it; the page learns the CSRF token from /api/me). */
    public static final String COOKIE = "encore_auth";
    /** Refresh last_seen_at at most this often: no write per request. */
    private static final Duration TOUCH = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration idle;
    private final Duration lifetime;

    public WebSessions(DataSource dataSource, Clock clock, Duration idle, Duration lifetime) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.idle = idle;
        this.lifetime = lifetime;
    }

    /** A session just started: the cookie's value, and the caller it opens. */
    public record Started(String cookie, Caller caller) {
        @Override
        public String toString() { // a record would print the cookie
            return "Started[" + caller.user() + "]";
        }
    }

    /** A new session for the account. */
    public Started start(Accounts.Account account) throws SQLException {
        String user = account.user();
        String secret = Secrets.random();
        String hash = Secrets.sha256(secret);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_session (session_hash, user_id, created_at, "
                    + "last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, hash);
                ps.setString(2, user);
                ps.setObject(3, utc(now));
                ps.setObject(4, utc(now));
                ps.setObject(5, utc(expiry(now, now)));
                ps.executeUpdate();
            }
            // sessions that ran out are of no use to anyone
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE expires_at < ?")) {
                ps.setObject(1, utc(now));
                ps.executeUpdate();
            }
        }
        return new Started(secret, new Caller(user, account.admin(), Caller.How.SESSION, hash));
    }

    /** Whose session this cookie value opens, if it is one and still running. */
    public Optional<Caller> find(String cookie) throws SQLException {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(cookie);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            String user;
            boolean admin;
            Instant created;
            Instant lastSeen;
            try (PreparedStatement ps = c.prepareStatement("SELECT s.user_id, a.is_admin, s.created_at, s.last_seen_at, "
                    + "s.expires_at FROM web_session s JOIN account a ON a.user_id = s.user_id WHERE s.session_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    user = rs.getString(1);
                    admin = rs.getBoolean(2);
                    created = Database.instant(rs, 3);
                    lastSeen = Database.instant(rs, 4);
                    if (!now.isBefore(Database.instant(rs, 5))) {
                        return Optional.empty();
                    }
                }
            }
            if (Duration.between(lastSeen, now).compareTo(TOUCH) >= 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE web_session SET last_seen_at = ?, expires_at = ? WHERE session_hash = ?")) {
                    ps.setObject(1, utc(now));
                    ps.setObject(2, utc(expiry(created, now)));
                    ps.setString(3, hash);
                    ps.executeUpdate();
                }
            }
            return Optional.of(new Caller(user, admin, Caller.How.SESSION, hash));
        }
    }

    /** Signs the browser out: its cookie opens nothing any more, on any replica. */
    public void end(Caller caller) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE session_hash = ?")) {
            ps.setString(1, caller.handle());
            ps.executeUpdate();
        }
    }

    /**
     * The token a state-changing request of this session must carry (header {@code X-CSRF-Token}).
     * Another site's page can make the browser send the cookie, but cannot read this token.
     */
    public static String csrfToken(Caller session) {
        return Secrets.sha256("csrf " + session.handle());
    }

    /** How long the browser keeps the cookie: as long as the session can live. */
    public Duration lifetime() {
        return lifetime;
    }

    private Instant expiry(Instant created, Instant now) {
        Instant byIdle = now.plus(idle);
        Instant byLifetime = created.plus(lifetime);
        return byIdle.isBefore(byLifetime) ? byIdle : byLifetime;
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

}
