package dev.encore.store;

import dev.encore.export.StreamRecord;
import dev.encore.export.TimePrecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes the records of one file into {@code stream}, inside the caller's transaction, so that
 * every stream is stored once:
 *
 * <ul>
 *   <li>a record whose natural key (user, end time, duration, content) is already stored is a
 *       duplicate: re-uploads, overlapping exports, repeats inside a file;</li>
 *   <li>an account-data record (minute precision) is a duplicate of a stored stream of the same
 *       content and duration that ended within that minute;</li>
 *   <li>an extended record that matches a stored account-data row upgrades that row in place
 *       with its details, so whichever arrives first, the stream is counted once and the richer
 *       details win.</li>
 * </ul>
 *
 * <p>Two ways in, measured in docs/benchmarks.md: on PostgreSQL, second-precision records are
 * streamed with COPY into a session temp table and moved over with one
 * {@code INSERT … ON CONFLICT DO NOTHING} per chunk; everywhere else (and for account data) each
 * record is a batched {@code INSERT … SELECT … WHERE NOT EXISTS}. Either way the database reports
 * exactly how many rows were inserted. Imports of one user are serialised by the caller (see
 * {@link ImportStore#lockUser}), which makes the check-then-insert safe; the UNIQUE index backs
 * it up.
 */
public final class StreamUpserter implements AutoCloseable {
    private static final String UPGRADE_SQL = "UPDATE stream SET ts_utc = ?, ts_precision = 'second', kind = ?, "
            + String.join(" = ?, ", StreamColumns.DETAILS) + " = ? "
            + "WHERE user_id = ? AND ts_precision = 'minute' AND ts_utc = ? AND ms_played = ? AND content_hash = ?";
    /** A second-precision record looks at its own second, a minute-precision one at its whole minute. */
    private static final String INSERT_SQL = "INSERT INTO stream (" + StreamColumns.LIST + ") SELECT "
            + StreamColumns.placeholders(StreamColumns.NAMES.size())
            + " WHERE NOT EXISTS (SELECT 1 FROM stream e"
            + " WHERE e.user_id = ? AND e.ms_played = ? AND e.content_hash = ? AND e.ts_utc >= ? AND e.ts_utc < ?)";

    /**
     * Rows per COPY round on PostgreSQL. Each round ends the COPY, runs the set-based insert and
     * empties the temp table; larger rounds spread that fixed cost (memory stays on the server).
     */
    private static final int COPY_ROUND = 25_000;

    private final Connection connection;
    private final String userId;
    private final long importRunId;
    private final TimePrecision precision;
    private final int batchSize;
    private final PreparedStatement upgrade;
    private final PreparedStatement insert;
    private final CopyLoader copy;
    private int pending;
    private int inserted;
    private int upgraded;

    /**
     * @param upgradeAccountRows whether this user has account-data rows that extended records may upgrade;
     *                           when false the per-record UPDATE is skipped altogether
     */
    public StreamUpserter(Connection connection, Dialect dialect, String userId, long importRunId,
            TimePrecision precision, boolean upgradeAccountRows, int batchSize) throws SQLException {
        this.connection = connection;
        this.userId = userId;
        this.importRunId = importRunId;
        this.precision = precision;
        this.batchSize = batchSize;
        this.upgrade = upgradeAccountRows && precision == TimePrecision.SECOND
                ? connection.prepareStatement(UPGRADE_SQL) : null;
        boolean useCopy = dialect == Dialect.POSTGRESQL && precision == TimePrecision.SECOND;
        this.copy = useCopy ? new CopyLoader(connection) : null;
        this.insert = useCopy ? null : connection.prepareStatement(INSERT_SQL);
    }

    public void add(StreamRecord r) throws SQLException {
        if (upgrade != null) {
            int i = bind(upgrade, 1, r.endedAt(), r.kind().dbValue());
            i = bindColumns(upgrade, i, StreamColumns.details(r), StreamColumns.DETAILS_FROM);
            bind(upgrade, i, userId, r.endedAt().truncatedTo(ChronoUnit.MINUTES), r.msPlayed(), r.contentHash());
            upgrade.addBatch();
        }
        Object[] row = StreamColumns.values(r, userId, importRunId);
        if (copy != null) {
            copy.add(row);
        } else {
            int i = bindColumns(insert, 1, row, 0);
            Instant until = r.endedAt().plusSeconds(precision == TimePrecision.MINUTE ? 60 : 1);
            bind(insert, i, userId, r.msPlayed(), r.contentHash(), r.endedAt(), until);
            insert.addBatch();
        }
        if (++pending >= (copy != null ? Math.max(batchSize, COPY_ROUND) : batchSize)) {
            flush();
        }
    }

    /** Sends what is pending; upgrades go first, which is what lets an upgraded row count as known. */
    public void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        if (copy != null) {
            copy.endCopy(); // a connection runs one thing at a time, and COPY holds it until it ends
        }
        if (upgrade != null) {
            for (int count : upgrade.executeBatch()) {
                upgraded += Math.max(count, 0);
            }
        }
        if (copy != null) {
            inserted += copy.moveIntoStream();
        } else {
            for (int count : insert.executeBatch()) {
                if (count < 0) {
                    throw new SQLException("The driver did not report how many rows a batched INSERT added");
                }
                inserted += count;
            }
        }
        pending = 0;
    }

    /** Rows this writer added to {@code stream}. */
    public int inserted() {
        return inserted;
    }

    /** Account-data rows that took on the details of an extended record. */
    public int upgraded() {
        return upgraded;
    }

    @Override
    public void close() throws SQLException {
        try (AutoCloseable u = upgrade; AutoCloseable i = insert) {
            if (copy != null) {
                copy.cancel();
            }
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /** Binds column values from {@code values[k]} = column {@code firstColumn + k}, NULLs typed by their column. */
    private static int bindColumns(PreparedStatement ps, int index, Object[] values, int firstColumn) throws SQLException {
        for (int k = 0; k < values.length; k++) {
            if (values[k] == null) {
                ps.setNull(index + k, StreamColumns.TYPES[firstColumn + k]);
            } else {
                setValue(ps, index + k, values[k]);
            }
        }
        return index + values.length;
    }

    /** Binds values that are never null (keys and times). */
    private static int bind(PreparedStatement ps, int index, Object... values) throws SQLException {
        for (int k = 0; k < values.length; k++) {
            setValue(ps, index + k, values[k]);
        }
        return index + values.length;
    }

    private static void setValue(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v instanceof Instant t) {
            ps.setObject(i, Database.utc(t));
        } else {
            ps.setObject(i, v);
        }
    }

    /**
     * PostgreSQL's fast path: COPY rows into a session temp table, then one set-based insert.
     * Several times faster than batched INSERTs (docs/benchmarks.md), and the INSERT's count is
     * exactly the rows added.
     */
    private static final class CopyLoader {
        private static final String TABLE = "encore_stream_load";

        private final Connection connection;
        private final StringBuilder line = new StringBuilder(1024);
        private CopyIn copyIn;

        CopyLoader(Connection connection) throws SQLException {
            this.connection = connection;
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TEMP TABLE IF NOT EXISTS " + TABLE + " AS SELECT " + StreamColumns.LIST
                        + " FROM stream WHERE 1 = 0");
                st.execute("TRUNCATE " + TABLE);
            }
        }

        void add(Object[] row) throws SQLException {
            if (copyIn == null) {
                copyIn = connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY " + TABLE + " (" + StreamColumns.LIST + ") FROM STDIN");
            }
            line.setLength(0);
            PostgresCopyText.appendRow(line, row);
            byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
            copyIn.writeToCopy(bytes, 0, bytes.length);
        }

        void endCopy() throws SQLException {
            if (copyIn != null) {
                copyIn.endCopy();
                copyIn = null;
            }
        }

        int moveIntoStream() throws SQLException {
            try (Statement st = connection.createStatement()) {
                int added = st.executeUpdate("INSERT INTO stream (" + StreamColumns.LIST + ") SELECT "
                        + StreamColumns.LIST + " FROM " + TABLE
                        + " ON CONFLICT (user_id, ts_utc, ms_played, content_hash) DO NOTHING");
                st.execute("TRUNCATE " + TABLE);
                return added;
            }
        }

        /** Abandons a COPY left open by a failure, so the connection goes back to the pool usable. */
        void cancel() throws SQLException {
            if (copyIn != null && copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }
}
