package dev.encore.access;

import dev.encore.intake.SourceUsers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The accounts people sign in with ({@code account}, V13): one per Encore user, some of them admins. */
public final class Accounts {
    private final DataSource dataSource;
    private final PasswordHasher hasher;
    private final Clock clock;

    /** What may be shown of an account: never its hash. */
    public record Account(String user, boolean admin, String createdAt) {
    }

    public Accounts(DataSource dataSource, PasswordHasher hasher, Clock clock) {
        this.dataSource = dataSource;
        this.hasher = hasher;
        this.clock = clock;
    }

    public Account create(String user, String password, boolean admin) throws SQLException {
        if (!SourceUsers.isValid(user)) {
            throw new AccountException("A user name is 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        String weakness = PasswordHasher.weakness(password);
        if (weakness != null) {
            throw new AccountException("Cannot create " + user + ": " + weakness);
        }
        String hash = hasher.hash(password);
        LocalDateTime now = now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO account (user_id, password_hash, is_admin, created_at, "
                     + "password_changed_at) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM account WHERE user_id = ?)")) {
            ps.setString(1, user);
            ps.setString(2, hash);
            ps.setBoolean(3, admin);
            ps.setObject(4, now);
            ps.setObject(5, now);
            ps.setString(6, user);
            if (ps.executeUpdate() == 0) {
                throw new AccountException("There is already an account for " + user);
            }
        } catch (SQLException e) {
            if (exists(user)) { // two creations at once: the other one won
                throw new AccountException("There is already an account for " + user);
            }
            throw e;
        }
        return new Account(user, admin, now.toInstant(ZoneOffset.UTC).toString());
    }

    /**
     * The account these credentials open, or empty. A name without an account costs as much time
     * as a wrong password, so the answer's speed does not tell which names exist.
     */
    public Optional<Account> signIn(String user, String password) throws SQLException {
        if (password == null || password.length() > PasswordHasher.MAX_LENGTH) {
            return Optional.empty(); // past the length limit: refused as fast for every name
        }
        if (!SourceUsers.isValid(user)) {
            hasher.wasteTime(password);
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT user_id, password_hash, is_admin, created_at FROM account WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                // the name as stored: a database that compares without case (SQL Server) must not make "ADMIN" another identity
                if (!rs.next() || !rs.getString(1).equals(user)) {
                    hasher.wasteTime(password);
                    return Optional.empty();
                }
                if (!hasher.matches(password, rs.getString(2))) {
                    return Optional.empty();
                }
                return Optional.of(new Account(rs.getString(1), rs.getBoolean(3), instant(rs, 4)));
            }
        }
    }

    public Optional<Account> find(String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT is_admin, created_at FROM account WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Account(user, rs.getBoolean(1), instant(rs, 2))) : Optional.empty();
            }
        }
    }

    public boolean exists(String user) throws SQLException {
        return find(user).isPresent();
    }

    public List<Account> list() throws SQLException {
        List<Account> accounts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, is_admin, created_at FROM account ORDER BY user_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                accounts.add(new Account(rs.getString(1), rs.getBoolean(2), instant(rs, 3)));
            }
        }
        return accounts;
    }

    /**
     * A new password; every browser signed in to the account is signed out (whoever changes a
     * password usually fears someone else knows the old one). API tokens stay: revoke them apart.
     */
    public void setPassword(String user, String password) throws SQLException {
        String weakness = PasswordHasher.weakness(password);
        if (weakness != null) {
            throw new AccountException("Cannot change the password of " + user + ": " + weakness);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                         "UPDATE account SET password_hash = ?, password_changed_at = ? WHERE user_id = ?");
                 PreparedStatement sessions = c.prepareStatement("DELETE FROM web_session WHERE user_id = ?")) {
                ps.setString(1, hasher.hash(password));
                ps.setObject(2, now());
                ps.setString(3, user);
                if (ps.executeUpdate() == 0) {
                    throw new AccountException("There is no account for " + user);
                }
                sessions.setString(1, user);
                sessions.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Removes the account, its sessions and its tokens (the listening data stays). */
    public boolean delete(String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM account WHERE user_id = ?")) {
            ps.setString(1, user);
            return ps.executeUpdate() > 0;
        }
    }

    public boolean anyAdmin() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM account WHERE is_admin = ?")) {
            ps.setBoolean(1, true);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).withNano(0);
    }

    private static String instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
    }
}
