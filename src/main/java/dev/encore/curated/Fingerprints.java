package dev.encore.curated;

import dev.encore.store.Database;
import dev.encore.store.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each file of the curated zone would hold now, in a few aggregates per partition, asked of
 * the warehouse without reading its rows: when a partition's fingerprint differs from the one
 * its file was written from ({@link CuratedPartitions}), the file is due.
 */
final class Fingerprints {
    private final Database database;

    Fingerprints(Database database) {
        this.database = database;
    }

    /** The user's partitions: every UTC month of their streams, and their playlists. */
    Map<Partition, String> ofUser(String user, ZoneId zone) throws SQLException {
        Map<Partition, String> now = new LinkedHashMap<>(monthFingerprints(user, zone));
        for (CuratedTable t : List.of(CuratedTable.PLAYLISTS, CuratedTable.PLAYLIST_ITEMS)) {
            String fp = fingerprint(t, user);
            if (fp != null) {
                now.put(new Partition(t, 0, 0), fp);
            }
        }
        return now;
    }

    /** The catalogue's tables that have rows. */
    Map<Partition, String> ofCatalogue() throws SQLException {
        Map<Partition, String> now = new LinkedHashMap<>();
        for (CuratedTable t : CuratedTable.values()) {
            if (t.split() == CuratedTable.Split.NONE) {
                String fp = fingerprint(t, null);
                if (fp != null) {
                    now.put(new Partition(t, 0, 0), fp);
                }
            }
        }
        return now;
    }

    /** The fingerprint of each UTC month of the user's streams (their zone too: it fills local_date and local_hour). */
    private Map<Partition, String> monthFingerprints(String user, ZoneId zone) throws SQLException {
        String year = database.dialect().datePart("YEAR", "ts_utc");
        String month = database.dialect().datePart("MONTH", "ts_utc");
        String sql = "SELECT " + year + ", " + month + ", COUNT(*), SUM(CAST(ms_played AS BIGINT)), SUM(stream_id), "
                + "COUNT(api_played_at), SUM(CASE WHEN ts_precision = 'second' THEN 1 ELSE 0 END), COUNT(platform), "
                + "COUNT(track_uri), SUM(CAST(LENGTH_FN AS BIGINT)) FROM stream WHERE user_id = ? GROUP BY " + year + ", " + month;
        sql = sql.replace("LENGTH_FN", database.dialect() == Dialect.SQLSERVER
                ? "LEN(COALESCE(track_name, '') + COALESCE(episode_name, ''))"
                : "LENGTH(COALESCE(track_name, '') || COALESCE(episode_name, ''))");
        Map<Partition, String> months = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder fp = new StringBuilder(zone.getId());
                    for (int i = 3; i <= 10; i++) {
                        fp.append('|').append(rs.getString(i));
                    }
                    months.put(new Partition(CuratedTable.STREAMS, rs.getInt(1), rs.getInt(2)), fp.toString());
                }
            }
        }
        return months;
    }

    /** Counts and sums that change when a row of the table (or the user's part of it) is added, removed or updated; null when empty. */
    private String fingerprint(CuratedTable table, String user) throws SQLException {
        String sql = switch (table) {
            case PLAYLISTS -> "SELECT COUNT(*), SUM(CAST(import_run_id AS BIGINT)), MAX(fetched_at), SUM(list_position) "
                    + "FROM playlist WHERE user_id = ?";
            case PLAYLIST_ITEMS -> "SELECT COUNT(*), SUM(CAST(import_run_id AS BIGINT)), MAX(fetched_at), SUM(position) "
                    + "FROM playlist_item WHERE user_id = ?";
            case TRACKS -> "SELECT COUNT(*), MAX(described_at) FROM track";
            case ALBUMS -> "SELECT COUNT(*), MAX(described_at) FROM album";
            case ARTISTS -> "SELECT COUNT(*), MAX(described_at) FROM artist";
            case TRACK_ARTISTS -> "SELECT COUNT(*), SUM(position), (SELECT MAX(described_at) FROM track) FROM track_artist";
            case GENRES -> "SELECT COUNT(*), SUM(genre_id), (SELECT MAX(described_at) FROM artist) FROM artist_genre";
            case STREAMS -> throw new IllegalArgumentException("streams are fingerprinted per month");
        };
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (user != null) {
                ps.setString(1, user);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return null;
                }
                StringBuilder fp = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    fp.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                return fp.toString();
            }
        }
    }

}
