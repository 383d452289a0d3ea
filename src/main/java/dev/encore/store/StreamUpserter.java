package dev.encore.store;

import dev.encore.export.StreamRecord;
import dev.encore.export.TimePrecision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * Writes the records of one file into {@code stream} in JDBC batches, inside the caller's
 * transaction, so that every stream is stored once:
 *
 * <ul>
 *   <li>a record whose natural key (user, end time, duration, content) is already stored is a
 *       duplicate: re-uploads, overlapping exports, repeats inside a file;</li>
 *   <li>an account-data record (minute precision) is a duplicate of an extended record of the
 *       same content and duration that ended within that minute;</li>
 *   <li>an extended record that matches a stored account-data record takes its place (the
 *       account row is upgraded in place with the extended details), so whichever arrives first,
 *       the stream is counted once and the richer details win.</li>
 * </ul>
 * Imports of one user are serialised by the caller (see {@link ImportStore#lockUser}), which is
 * what makes the check-then-insert safe; the UNIQUE index backs it up.
 */
public final class StreamUpserter implements AutoCloseable {
    private static final List<String> COLUMNS = List.of(
            "user_id", "ts_utc", "ts_precision", "ms_played", "kind", "content_hash",
            "track_uri", "episode_uri", "audiobook_uri", "chapter_uri",
            "track_name", "artist_name", "album_name", "episode_name", "show_name", "audiobook_title", "chapter_title",
            "platform", "conn_country", "reason_start", "reason_end",
            "shuffle", "skipped", "offline", "offline_ts", "incognito", "source", "import_run_id");
    /** The columns an extended record brings to an account-data row it matches. */
    private static final List<String> DETAIL_COLUMNS = COLUMNS.subList(6, 26);

    private final String userId;
    private final long importRunId;
    private final TimePrecision precision;
    private final int batchSize;
    private final PreparedStatement insert;
    private final PreparedStatement upgrade;
    private final boolean insertChecksWindow;
    private int pending;
    private int upgraded;

    /**
     * @param upgradeAccountRows whether this user has minute-precision rows that extended records may upgrade;
     *                           when false the per-record UPDATE is skipped altogether
     */
    public StreamUpserter(Connection connection, Dialect dialect, String userId, long importRunId,
            TimePrecision precision, boolean upgradeAccountRows, int batchSize) throws SQLException {
        this.userId = userId;
        this.importRunId = importRunId;
        this.precision = precision;
        this.batchSize = batchSize;
        this.insertChecksWindow = !(dialect == Dialect.POSTGRESQL && precision == TimePrecision.SECOND);
        this.insert = connection.prepareStatement(insertSql(dialect));
        this.upgrade = upgradeAccountRows && precision == TimePrecision.SECOND
                ? connection.prepareStatement(upgradeSql()) : null;
    }

    private String insertSql(Dialect dialect) {
        String columns = String.join(", ", COLUMNS);
        String params = String.join(", ", Collections.nCopies(COLUMNS.size(), "?"));
        if (!insertChecksWindow) {
            // PostgreSQL: the unique index alone decides, and the driver rewrites the batch into multi-row INSERTs
            return "INSERT INTO stream (" + columns + ") VALUES (" + params
                    + ") ON CONFLICT (user_id, ts_utc, ms_played, content_hash) DO NOTHING";
        }
        // A second-precision record looks at its own second, a minute-precision one at its whole minute
        return "INSERT INTO stream (" + columns + ") SELECT " + params
                + " WHERE NOT EXISTS (SELECT 1 FROM stream e"
                + " WHERE e.user_id = ? AND e.ms_played = ? AND e.content_hash = ? AND e.ts_utc >= ? AND e.ts_utc < ?)";
    }

    private static String upgradeSql() {
        StringBuilder sql = new StringBuilder("UPDATE stream SET ts_utc = ?, ts_precision = 'second', kind = ?");
        for (String column : DETAIL_COLUMNS) {
            sql.append(", ").append(column).append(" = ?");
        }
        return sql.append(" WHERE user_id = ? AND ts_precision = 'minute' AND ts_utc = ? AND ms_played = ? AND content_hash = ?")
                .toString();
    }

    public void add(StreamRecord r) throws SQLException {
        if (upgrade != null) {
            int i = 1;
            upgrade.setObject(i++, Database.utc(r.endedAt()));
            upgrade.setString(i++, r.kind().dbValue());
            i = bindDetails(upgrade, i, r);
            upgrade.setString(i++, userId);
            upgrade.setObject(i++, Database.utc(r.endedAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)));
            upgrade.setInt(i++, r.msPlayed());
            upgrade.setLong(i, r.contentHash());
            upgrade.addBatch();
        }
        int i = 1;
        insert.setString(i++, userId);
        insert.setObject(i++, Database.utc(r.endedAt()));
        insert.setString(i++, r.precision().dbValue());
        insert.setInt(i++, r.msPlayed());
        insert.setString(i++, r.kind().dbValue());
        insert.setLong(i++, r.contentHash());
        i = bindDetails(insert, i, r);
        insert.setString(i++, "export");
        insert.setLong(i++, importRunId);
        if (insertChecksWindow) {
            Instant from = r.endedAt();
            insert.setString(i++, userId);
            insert.setInt(i++, r.msPlayed());
            insert.setLong(i++, r.contentHash());
            insert.setObject(i++, Database.utc(from));
            insert.setObject(i, Database.utc(from.plusSeconds(precision == TimePrecision.MINUTE ? 60 : 1)));
        }
        insert.addBatch();
        if (++pending >= batchSize) {
            flush();
        }
    }

    /** Sends what is batched; the order (upgrades, then inserts) is what lets an upgraded row count as known. */
    public void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        if (upgrade != null) {
            for (int count : upgrade.executeBatch()) {
                upgraded += Math.max(count, 0);
            }
        }
        insert.executeBatch();
        pending = 0;
    }

    /** Account-data rows that took on the details of an extended record. */
    public int upgraded() {
        return upgraded;
    }

    private static int bindDetails(PreparedStatement ps, int i, StreamRecord r) throws SQLException {
        text(ps, i++, r.trackUri());
        text(ps, i++, r.episodeUri());
        text(ps, i++, r.audiobookUri());
        text(ps, i++, r.chapterUri());
        text(ps, i++, r.trackName());
        text(ps, i++, r.artistName());
        text(ps, i++, r.albumName());
        text(ps, i++, r.episodeName());
        text(ps, i++, r.showName());
        text(ps, i++, r.audiobookTitle());
        text(ps, i++, r.chapterTitle());
        text(ps, i++, r.platform());
        text(ps, i++, r.connCountry());
        text(ps, i++, r.reasonStart());
        text(ps, i++, r.reasonEnd());
        bool(ps, i++, r.shuffle());
        bool(ps, i++, r.skipped());
        bool(ps, i++, r.offline());
        if (r.offlineAt() == null) {
            ps.setNull(i++, Types.TIMESTAMP);
        } else {
            ps.setObject(i++, Database.utc(r.offlineAt()));
        }
        bool(ps, i++, r.incognito());
        return i;
    }

    private static void text(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    private static void bool(PreparedStatement ps, int i, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BOOLEAN);
        } else {
            ps.setBoolean(i, value);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            insert.close();
        } finally {
            if (upgrade != null) {
                upgrade.close();
            }
        }
    }
}
