package dev.encore.access;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Per-user API tokens ({@code api_token}, V13) for scripts and Power BI: {@code Authorization:
 * Bearer enc_...}. A token is shown once, when it is made; the database keeps its SHA-256. It
 * lasts until its owner revokes it or the account is removed.
 */
public final class ApiTokens {
    static final String PREFIX = "enc_";
    private static final Duration TOUCH = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Clock clock;

    /** A token as its owner sees it in a list: never the token. */
    public record TokenInfo(String id, String label, String createdAt, String lastUsedAt) {
    }

    /** A token just made: the only time the token itself is seen. */
    public record NewToken(String id, String label, String createdAt, String token) {
        @Override
        public String toString() { // a record would print the token
            return "NewToken[" + id + ", " + label + "]";
        }
    }

    public ApiTokens(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public NewToken create(String user, String label) throws SQLException {
        String name = label == null ? "" : label.strip();
        if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw new AccountException("A token needs a label of 1-100 characters that says what uses it (\"Power BI\")");
        }
        String token = PREFIX + Secrets.random();
        String id = Secrets.handle();
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withNano(0);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO api_token (token_id, token_hash, user_id, label, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, Secrets.sha256(token));
            ps.setString(3, user);
            ps.setString(4, name);
            ps.setObject(5, now);
            ps.executeUpdate();
        }
        return new NewToken(id, name, now.toInstant(ZoneOffset.UTC).toString(), token);
    }

    /** Whether an Authorization header is {@code Bearer ...} (the scheme's case does not matter). */
    static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** Whose token an Authorization header carries; empty for another scheme or a token that is none. */
    public Optional<Caller> fromBearer(String authorization) throws SQLException {
        return isBearer(authorization) ? find(authorization.substring(7).trim()) : Optional.empty();
    }

    /** Whose token this is, if it is one. */
    public Optional<Caller> find(String token) throws SQLException {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(token);
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            Caller caller;
            Instant lastUsed;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.user_id, a.is_admin, t.last_used_at, t.token_id FROM api_token t "
                    + "JOIN account a ON a.user_id = t.user_id WHERE t.token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    caller = new Caller(rs.getString(1), rs.getBoolean(2), Caller.How.TOKEN, rs.getString(4));
                    LocalDateTime used = rs.getObject(3, LocalDateTime.class);
                    lastUsed = used == null ? null : used.toInstant(ZoneOffset.UTC);
                }
            }
            if (lastUsed == null || Duration.between(lastUsed, now).compareTo(TOUCH) >= 0) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_token SET last_used_at = ? WHERE token_hash = ?")) {
                    ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC).withNano(0));
                    ps.setString(2, hash);
                    ps.executeUpdate();
                }
            }
            return Optional.of(caller);
        }
    }

    public List<TokenInfo> list(String user) throws SQLException {
        List<TokenInfo> tokens = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT token_id, label, created_at, last_used_at FROM api_token "
                     + "WHERE user_id = ? ORDER BY created_at, token_id")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDateTime used = rs.getObject(4, LocalDateTime.class);
                    tokens.add(new TokenInfo(rs.getString(1), rs.getString(2),
                            rs.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString(),
                            used == null ? null : used.toInstant(ZoneOffset.UTC).toString()));
                }
            }
        }
        return tokens;
    }

    /** Revokes one of the user's tokens; false when the user has none by that id. */
    public boolean revoke(String user, String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM api_token WHERE user_id = ? AND token_id = ?")) {
            ps.setString(1, user);
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
        }
    }
}
