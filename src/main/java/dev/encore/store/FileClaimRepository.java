package dev.encore.store;

import dev.encore.export.PrintableNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel idempotent repository over the {@code file_claim} table.
 *
 * <ul>
 *   <li>{@link #add} claims a file version with a plain INSERT against a primary key, so when two
 *       replicas see the same file at once exactly one wins. (Camel's own JDBC repository checks
 *       and then inserts, which lets both through.)</li>
 *   <li>{@link #confirm} marks the claim {@code done} once the exchange completed.</li>
 *   <li>{@link #remove} drops it when the exchange failed, so a later poll tries again.</li>
 *   <li>A claim is held by a start of Encore ({@link InstanceId}: host, pid, process start time).
 *       A claim of an earlier start on this host whose process is over (killed mid-import) is taken
 *       over at once, on the next poll after the restart. A claim of another host still
 *       {@code claimed} after the lease belonged to a replica that died (or lost its database)
 *       mid-import: {@link #add} takes it over then, so no file is stranded. Live replicas' claims
 *       are never taken.</li>
 * </ul>
 */
public final class FileClaimRepository extends ServiceSupport implements IdempotentRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FileClaimRepository.class);

    private final DataSource dataSource;
    private final Duration lease;
    private final Clock clock;
    private final String claimant;
    private final InterruptedRuns interrupted;

    /** @param clock when claims are made and leases run out (a test moves it on instead of waiting) */
    public FileClaimRepository(DataSource dataSource, Duration lease, Clock clock) {
        this.dataSource = dataSource;
        this.lease = lease;
        this.clock = clock;
        this.claimant = InstanceId.current().toString(); // host/pid/start: which start holds it
        this.interrupted = new InterruptedRuns(dataSource, clock);
    }

    @Override
    public boolean add(String key) {
        String id = id(key);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_claim "
                    + "(claim_id, claim_key, status, claimed_by, claimed_at) VALUES (?, ?, 'claimed', ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, key.length() > 1024 ? key.substring(0, 1024) : key);
                ps.setString(3, claimant);
                ps.setObject(4, Database.utc(clock.instant()));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (!SqlErrors.isConstraintViolation(e)) {
                    throw e;
                }
            }
            // Taken before: take it over only if it is an abandoned claim (one UPDATE, so one winner):
            // at once when its holder was an earlier start on this host that is over (killed mid-import),
            // after the lease when it is another host's (only the lease can tell that it is gone)
            String holder = holder(c, id);
            boolean holderEnded = InstanceId.parse(holder).map(InstanceId::isOverOnThisHost).orElse(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE file_claim SET claimed_by = ?, claimed_at = ? "
                    + "WHERE claim_id = ? AND status = 'claimed' AND claimed_at < ? AND claimed_by = ?")) {
                Instant now = clock.instant();
                ps.setString(1, claimant);
                ps.setObject(2, Database.utc(now));
                ps.setString(3, id);
                ps.setObject(4, Database.utc(holderEnded ? now.plusSeconds(1) : now.minus(lease)));
                ps.setString(5, holder);
                boolean takenOver = holder != null && ps.executeUpdate() == 1;
                if (takenOver && holderEnded) {
                    LOG.warn("Took over the claim on {} left by the earlier Encore process {} on this host, which ended "
                            + "before finishing it; loading it now", PrintableNames.of(key), InstanceId.parse(holder).get().pid());
                    interrupted.markRunsOf(c, holder, "interrupted: Encore's process " + InstanceId.parse(holder).get().pid()
                            + " ended while this run was in progress (killed or crashed); " + claimant + " took over its claim");
                } else if (takenOver) {
                    LOG.warn("Took over the abandoned claim on {} (held for more than {})", PrintableNames.of(key), lease);
                }
                if (takenOver && !holderEnded && !holder.equals(claimant)) { // this start's own runs may be going on
                    interrupted.markRunsOf(c, holder, "interrupted: " + holder + " held the claim on this file for more "
                            + "than " + lease + " without finishing; " + claimant + " took it over");
                }
                return takenOver;
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not claim " + key, e);
        }
    }

    private static String holder(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT claimed_by FROM file_claim WHERE claim_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
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

    /** Whether the file was claimed and its load finished (by this replica or another). */
    public boolean isDone(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM file_claim WHERE claim_id = ? AND status = 'done'")) {
            ps.setString(1, id(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not look up claim " + key, e);
        }
    }

    /** The keys of the finished claims that start with {@code prefix}, for a cache in front of this repository. */
    public java.util.List<String> doneKeys(String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT claim_key FROM file_claim WHERE status = 'done' AND claim_key LIKE ?")) {
            ps.setString(1, prefix + "%"); // a literal prefix such as "raw:" (no LIKE wildcards in it)
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not read the claims of " + prefix, e);
        }
        return keys;
    }

    @Override
    public boolean remove(String key) {
        return update("DELETE FROM file_claim WHERE claim_id = ?", key);
    }

    @Override
    public boolean confirm(String key) {
        return update("UPDATE file_claim SET status = 'done' WHERE claim_id = ?", key);
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

    private boolean update(String sql, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id(key));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not update claim " + key, e);
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
