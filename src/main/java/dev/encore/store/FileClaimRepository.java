package dev.encore.store;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Camel idempotent repository over the {@code file_claim} table. {@link #add} is a plain INSERT
 * against a primary key, so when two replicas see the same file at once exactly one wins the
 * claim; the other gets {@code false} and leaves the file alone. (Camel's own JDBC repository
 * checks and then inserts, which lets both replicas through the check.)
 */
public final class FileClaimRepository extends ServiceSupport implements IdempotentRepository {
    private final DataSource dataSource;
    private final String claimant;

    public FileClaimRepository(DataSource dataSource) {
        this.dataSource = dataSource;
        this.claimant = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
    }

    @Override
    public boolean add(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO file_claim (claim_id, claim_key, claimed_by, claimed_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, id(key));
            ps.setString(2, key.length() > 1024 ? key.substring(0, 1024) : key);
            ps.setString(3, claimant);
            ps.setObject(4, Database.utc(Instant.now()));
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (SqlErrors.isConstraintViolation(e)) {
                return false;
            }
            throw new RuntimeCamelException("Could not claim " + key, e);
        }
    }

    @Override
    public boolean contains(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM file_claim WHERE claim_id = ?")) {
            ps.setString(1, id(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not look up claim " + key, e);
        }
    }

    /** Called by Camel when processing failed, so that the file is tried again on a later poll. */
    @Override
    public boolean remove(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM file_claim WHERE claim_id = ?")) {
            ps.setString(1, id(key));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not release claim " + key, e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM file_claim")) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not clear claims", e);
        }
    }

    private static String id(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
