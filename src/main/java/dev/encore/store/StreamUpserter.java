package dev.encore.store;

import dev.encore.export.StreamRecord;
import dev.encore.export.TimePrecision;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * streamed with COPY (binary) into a session temp table and moved over with one
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

    private static final String PLAIN_INSERT_SQL = "INSERT INTO stream (" + StreamColumns.LIST + ") VALUES ("
            + StreamColumns.placeholders(StreamColumns.NAMES.size()) + ")";

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
    /** Plain INSERTs (no look for stored rows) while nothing collided; see {@link #flushPlain}. */
    private PreparedStatement plain;
    private final List<StreamRecord> plainRound;
    private int pending;
    private int inserted;
    private int upgraded;

    /**
     * @param upgradeAccountRows whether this user has account-data rows that extended records may upgrade;
     *                           when false the per-record UPDATE is skipped altogether
     */
    public StreamUpserter(Connection connection, Dialect dialect, String userId, long importRunId,
            TimePrecision precision, boolean upgradeAccountRows, int batchSize) throws SQLException {
        this(connection, dialect, userId, importRunId, precision, upgradeAccountRows, batchSize, true);
    }

    /**
     * @param fastPaths whether rows may try going straight in (falling back when the key refuses one);
     *                  false only to compare with, or measure, the conflict-safe way alone
     */
    public StreamUpserter(Connection connection, Dialect dialect, String userId, long importRunId,
            TimePrecision precision, boolean upgradeAccountRows, int batchSize, boolean fastPaths) throws SQLException {
        this.connection = connection;
        this.userId = userId;
        this.importRunId = importRunId;
        this.precision = precision;
        this.batchSize = batchSize;
        this.upgrade = upgradeAccountRows && precision == TimePrecision.SECOND
                ? connection.prepareStatement(UPGRADE_SQL) : null;
        boolean useCopy = dialect == Dialect.POSTGRESQL && precision == TimePrecision.SECOND;
        // an upgrade must land before the insert of its own row, so a user with account rows keeps the safe way
        this.copy = useCopy ? new CopyLoader(connection, upgrade == null && fastPaths) : null;
        this.insert = useCopy ? null : connection.prepareStatement(INSERT_SQL);
        boolean usePlain = !useCopy && fastPaths && upgrade == null && precision == TimePrecision.SECOND;
        this.plain = usePlain ? connection.prepareStatement(PLAIN_INSERT_SQL) : null;
        this.plainRound = usePlain ? new ArrayList<>(batchSize) : null;
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
        } else if (plain != null) {
            bindColumns(plain, 1, row, 0);
            plain.addBatch();
            plainRound.add(r);
        } else {
            addChecked(r, row);
        }
        if (++pending >= (copy != null ? Math.max(batchSize, COPY_ROUND) : batchSize)) {
            flush();
        }
    }

    /** The conflict-safe INSERT: the row goes in only when no stored stream has its key (or, for account data, its minute). */
    private void addChecked(StreamRecord r, Object[] row) throws SQLException {
        int i = bindColumns(insert, 1, row, 0);
        Instant until = r.endedAt().plusSeconds(precision == TimePrecision.MINUTE ? 60 : 1);
        bind(insert, i, userId, r.msPlayed(), r.contentHash(), r.endedAt(), until);
        insert.addBatch();
    }

    /** Sends what is pending; upgrades go first, which is what lets an upgraded row count as known. */
    public void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        long direct = copy != null ? copy.endCopy() : 0;
        inserted += (int) direct;
        if (upgrade != null) {
            for (int count : upgrade.executeBatch()) {
                upgraded += Math.max(count, 0);
            }
        }
        if (copy != null) {
            if (copy.staged()) {
                inserted += copy.moveIntoStream();
            }
        } else if (plain != null && flushPlain()) {
            pending = 0;
            return;
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

    /**
     * Sends the round as plain INSERTs under a savepoint: with nothing stored in the way (a first
     * load) each row is one index insert. When the unique key refuses one (a stored stream, a
     * repeat inside the file) the round is undone and given to the conflict-safe INSERT, which
     * the rest of the file keeps to; both count exactly the rows added.
     *
     * @return true when the round went in plainly, false when it now waits in the safe batch
     */
    private boolean flushPlain() throws SQLException {
        if (storedWithin(plainRound)) { // a re-load: the key would refuse the round, so do not try
            toChecked();
            return false;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            int added = 0;
            for (int count : plain.executeBatch()) {
                added += count;
            }
            connection.releaseSavepoint(savepoint);
            inserted += added;
            plainRound.clear();
            return true;
        } catch (SQLException e) {
            if (!SqlErrors.isConstraintViolation(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            toChecked();
            return false;
        }
    }

    /** Hands the round to the conflict-safe INSERT, which the rest of the file keeps to. */
    private void toChecked() throws SQLException {
        plain.clearBatch();
        plain.close();
        plain = null;
        for (StreamRecord r : plainRound) {
            addChecked(r, StreamColumns.values(r, userId, importRunId));
        }
        plainRound.clear();
    }

    /** Whether the user has a stored stream within the round's time span (one probe of the natural key's index). */
    private boolean storedWithin(List<StreamRecord> round) throws SQLException {
        Instant first = round.get(0).endedAt();
        Instant last = first;
        for (StreamRecord r : round) {
            Instant end = r.endedAt();
            first = end.isBefore(first) ? end : first;
            last = end.isAfter(last) ? end : last;
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM stream WHERE user_id = ? AND ts_utc >= ? "
                + "AND ts_utc <= ? OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")) {
            bind(ps, 1, userId, first, last);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
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
        try (AutoCloseable u = upgrade; AutoCloseable i = insert; AutoCloseable p = plain) {
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
     * PostgreSQL's way in. Rows go by COPY, first straight into {@code stream} (the usual first load:
     * nothing stored collides) under a savepoint; the unique natural key is the judge. When it
     * refuses a row (a stored play, a repeat inside the file) the round is rolled back to the
     * savepoint and replayed the conflict-safe way: COPY into a session temp table, then one
     * {@code INSERT … ON CONFLICT DO NOTHING}, which the rest of the file keeps to. Both ways
     * count exactly the rows added (docs/benchmarks.md has the figures).
     */
    private static final class CopyLoader {
        private static final String TABLE = "encore_stream_load";
        private static final String UNIQUE_VIOLATION = "23505";
        /** Where the natural key's columns sit in a row of {@link StreamColumns#values}. */
        private static final int KEY_USER = StreamColumns.NAMES.indexOf("user_id");
        private static final int KEY_TIME = StreamColumns.NAMES.indexOf("ts_utc");
        private static final int KEY_DURATION = StreamColumns.NAMES.indexOf("ms_played");
        private static final int KEY_CONTENT = StreamColumns.NAMES.indexOf("content_hash");

        private final Connection connection;
        /**
         * This round's rows as sent. Going straight in, they are kept until the round ends, so that
         * a refused round can be replayed; the conflict-safe way, only until they are sent.
         */
        private final PostgresCopyBinary round = new PostgresCopyBinary(StreamColumns.TYPES);
        private boolean direct;
        private boolean tempTableReady;
        private Savepoint savepoint;
        private CopyIn copyIn;

        CopyLoader(Connection connection, boolean tryDirect) {
            this.connection = connection;
            this.direct = tryDirect;
        }

        void add(Object[] row) throws SQLException {
            if (direct && copyIn == null && isStored(row)) {
                direct = false; // a re-load or an overlapping export: the key would refuse the round, so do not try
            }
            round.appendRow(row);
            if (direct) {
                try {
                    if (copyIn == null) {
                        savepoint = connection.setSavepoint();
                        copyIn = copyInto("stream");
                    }
                    round.sendFull(copyIn);
                } catch (SQLException e) {
                    fallBack(e); // the round so far, this row included, now sits in the temp table's COPY
                }
            } else {
                if (copyIn == null) {
                    copyIn = copyInto(tempTable());
                }
                if (round.size() >= PostgresCopyBinary.PIECE) {
                    round.sendPending(copyIn);
                    round.reset();
                }
            }
        }

        /**
         * Ends the round: its rows are in {@code stream}, or (the safe way) in the temp table until
         * {@link #moveIntoStream}. A connection runs one thing at a time, and COPY holds it until it ends.
         *
         * @return rows added to {@code stream} by a direct round, else 0
         */
        long endCopy() throws SQLException {
            if (copyIn == null) {
                return 0;
            }
            if (!direct) {
                round.sendPending(copyIn);
                round.reset();
                PostgresCopyBinary.end(copyIn);
                copyIn = null;
                return 0;
            }
            try {
                round.sendPending(copyIn);
                long added = PostgresCopyBinary.end(copyIn);
                copyIn = null;
                connection.releaseSavepoint(savepoint);
                savepoint = null;
                round.reset();
                return added;
            } catch (SQLException e) {
                fallBack(e);
                PostgresCopyBinary.end(copyIn);
                copyIn = null;
                return 0;
            }
        }

        /** Whether the round's first row is stored already (one probe of the natural key's index). */
        private boolean isStored(Object[] row) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM stream WHERE user_id = ? AND ts_utc = ? "
                    + "AND ms_played = ? AND content_hash = ?")) {
                bind(ps, 1, row[KEY_USER], row[KEY_TIME], row[KEY_DURATION], row[KEY_CONTENT]);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        }

        /** Whether the last round left rows in the temp table for {@link #moveIntoStream}. */
        boolean staged() {
            return !direct;
        }

        /** The key refused a row: undo the round, and send it again the conflict-safe way. */
        private void fallBack(SQLException e) throws SQLException {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e; // bad data or a broken connection: the caller rolls the whole file back
            }
            if (copyIn != null && copyIn.isActive()) {
                copyIn.cancelCopy();
            }
            connection.rollback(savepoint);
            savepoint = null;
            direct = false;
            copyIn = copyInto(tempTable());
            round.sendAll(copyIn);
            round.reset();
        }

        private String tempTable() throws SQLException {
            if (!tempTableReady) {
                try (Statement st = connection.createStatement()) {
                    st.execute("CREATE TEMP TABLE IF NOT EXISTS " + TABLE + " AS SELECT " + StreamColumns.LIST
                            + " FROM stream WHERE 1 = 0");
                    st.execute("TRUNCATE " + TABLE);
                }
                tempTableReady = true;
            }
            return TABLE;
        }

        private CopyIn copyInto(String table) throws SQLException {
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + StreamColumns.LIST + ") FROM STDIN (FORMAT binary)");
            PostgresCopyBinary.begin(copy);
            return copy;
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
