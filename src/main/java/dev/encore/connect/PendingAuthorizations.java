package dev.encore.connect;

import dev.encore.access.Secrets;
import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Authorizations begun at {@code /connect} and awaited at the callback ({@code spotify_authorization}),
 * keyed by the hash of their state. A state is taken once: {@link #claim} is a conditional UPDATE,
 * so of two callbacks with one state (a replay, two replicas) exactly one goes on.
 */
final class PendingAuthorizations {
    private final DataSource dataSource;

    PendingAuthorizations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    record Pending(String sessionHash, String user, String encryptedVerifier, Instant createdAt, boolean used) {
    }

    void add(String state, String sessionHash, String user, String encryptedVerifier, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO spotify_authorization "
                     + "(state_hash, session_hash, user_id, code_verifier, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, Secrets.sha256(state));
            ps.setString(2, sessionHash);
            ps.setString(3, user);
            ps.setString(4, encryptedVerifier);
            ps.setObject(5, Database.utc(now));
            ps.executeUpdate();
        }
    }

    Pending find(String state) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT session_hash, user_id, code_verifier, created_at, used_at "
                     + "FROM spotify_authorization WHERE state_hash = ?")) {
            ps.setString(1, Secrets.sha256(state));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Pending(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getObject(5) != null);
            }
        }
    }

    /** Marks the state used; false when it already was. */
    boolean claim(String state, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE spotify_authorization SET used_at = ? WHERE state_hash = ? AND used_at IS NULL")) {
            ps.setObject(1, Database.utc(now));
            ps.setString(2, Secrets.sha256(state));
            return ps.executeUpdate() == 1;
        }
    }

    /** Drops the authorizations begun before {@code before}: used, or never finished. */
    void deleteOlderThan(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM spotify_authorization WHERE created_at < ?")) {
            ps.setObject(1, Database.utc(before));
            ps.executeUpdate();
        }
    }
}
