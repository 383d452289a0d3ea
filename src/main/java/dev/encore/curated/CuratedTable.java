package dev.encore.curated;

import static dev.encore.curated.ColumnType.BIGINT;
import static dev.encore.curated.ColumnType.BOOL;
import static dev.encore.curated.ColumnType.DATE;
import static dev.encore.curated.ColumnType.INT;
import static dev.encore.curated.ColumnType.TEXT;
import static dev.encore.curated.ColumnType.TIMESTAMP;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables of the curated zone and of {@code encore export} (docs/curated-zone.md): their
 * columns, the warehouse query each is read from, and how it is split into files.
 */
public enum CuratedTable {
    STREAMS("streams", Split.USER_MONTH, "stream s", "s.ts_utc, s.stream_id",
            col("stream_id", BIGINT), col("user_id", TEXT), col("ts_utc", TIMESTAMP),
            computed("local_date", DATE), computed("local_hour", INT),
            col("ts_precision", TEXT), col("kind", TEXT), col("ms_played", INT), col("ms_played_estimated", BOOL),
            col("track_uri", TEXT), col("episode_uri", TEXT), col("audiobook_uri", TEXT), col("chapter_uri", TEXT),
            col("track_name", TEXT), col("artist_name", TEXT), col("album_name", TEXT), col("episode_name", TEXT),
            col("show_name", TEXT), col("audiobook_title", TEXT), col("chapter_title", TEXT),
            col("platform", TEXT), col("conn_country", TEXT), col("reason_start", TEXT), col("reason_end", TEXT),
            col("shuffle", BOOL), col("skipped", BOOL), col("offline", BOOL), col("offline_ts", TIMESTAMP),
            col("incognito", BOOL), col("context_type", TEXT), col("context_uri", TEXT), col("source", TEXT),
            col("api_played_at", TIMESTAMP), col("import_run_id", BIGINT)),
    PLAYLISTS("playlists", Split.USER, "playlist s", "s.list_position, s.playlist_id",
            col("user_id", TEXT), col("playlist_id", TEXT), col("playlist_name", TEXT), col("description", TEXT),
            col("owner_id", TEXT), col("owner_name", TEXT), col("is_collaborative", BOOL), col("is_public", BOOL),
            col("snapshot_id", TEXT), col("items_total", INT), col("list_position", INT), col("fetched_at", TIMESTAMP)),
    PLAYLIST_ITEMS("playlist_items", Split.USER, "playlist_item s", "s.playlist_id, s.position",
            col("user_id", TEXT), col("playlist_id", TEXT), col("position", INT), col("item_type", TEXT),
            col("item_uri", TEXT), col("item_name", TEXT), col("artist_name", TEXT), col("album_name", TEXT),
            col("duration_ms", INT), col("is_local", BOOL), col("added_at", TIMESTAMP), col("added_by", TEXT),
            col("items_total", INT), col("fetched_at", TIMESTAMP)),
    TRACKS("tracks", Split.NONE, "track s", "s.track_id",
            col("track_id", TEXT), col("spotify_id", TEXT), col("name", TEXT), col("album_id", TEXT),
            col("duration_ms", INT), col("explicit", BOOL), col("disc_number", INT), col("track_number", INT),
            col("isrc", TEXT), col("popularity", INT), col("described_at", TIMESTAMP)),
    ALBUMS("albums", Split.NONE, "album s", "s.album_id",
            col("album_id", TEXT), col("name", TEXT), col("album_type", TEXT), col("release_date", TEXT),
            col("release_date_precision", TEXT), col("total_tracks", INT), col("label", TEXT), col("popularity", INT),
            col("image_url", TEXT), col("described_at", TIMESTAMP)),
    ARTISTS("artists", Split.NONE, "artist s", "s.artist_id",
            col("artist_id", TEXT), col("name", TEXT), col("image_url", TEXT), col("followers", BIGINT),
            col("popularity", INT), col("described_at", TIMESTAMP)),
    TRACK_ARTISTS("track_artists", Split.NONE, "track_artist s", "s.track_id, s.position",
            col("track_id", TEXT), col("position", INT), col("artist_id", TEXT)),
    GENRES("genres", Split.NONE, "artist_genre s JOIN genre g ON g.genre_id = s.genre_id", "s.artist_id, g.name, s.source",
            col("artist_id", TEXT), new Spec(new Column("genre", TEXT), "g.name"), col("source", TEXT));

    /** How a table is split into files in the lake. */
    public enum Split {
        /** {@code <table>/user=<u>/year=YYYY/month=MM/}: the UTC month of ts_utc */
        USER_MONTH,
        /** {@code <table>/user=<u>/} */
        USER,
        /** {@code <table>/}: the catalogue, shared by every user */
        NONE
    }

    /** A column and the SQL it is read from (null: worked out from ts_utc in the user's zone). */
    private record Spec(Column column, String sql) {
    }

    /** The user's streams in the export's [from, to) of UTC, the catalogue rows they reference. */
    private static final String USER_TRACKS = "SELECT SUBSTRING(x.track_uri, 15, 22) FROM stream x WHERE x.user_id = ? "
            + "AND x.ts_utc >= ? AND x.ts_utc < ? AND x.track_uri LIKE 'spotify:track:%'";

    private final String tableName;
    private final Split split;
    private final String from;
    private final String orderBy;
    private final List<Spec> specs;
    private final List<Column> columns;

    CuratedTable(String tableName, Split split, String from, String orderBy, Spec... specs) {
        this.tableName = tableName;
        this.split = split;
        this.from = from;
        this.orderBy = orderBy;
        this.specs = List.of(specs);
        this.columns = this.specs.stream().map(Spec::column).toList();
    }

    private static Spec col(String name, ColumnType type) {
        return new Spec(new Column(name, type), "s." + name);
    }

    private static Spec computed(String name, ColumnType type) {
        return new Spec(new Column(name, type), null);
    }

    public String tableName() {
        return tableName;
    }

    public Split split() {
        return split;
    }

    public List<Column> columns() {
        return columns;
    }

    /** The rows of the lake's file (user and month as the split says; a catalogue table whole). */
    String lakeQuery() {
        return select() + switch (split) {
            case USER_MONTH -> " WHERE s.user_id = ? AND s.ts_utc >= ? AND s.ts_utc < ?";
            case USER -> " WHERE s.user_id = ?";
            case NONE -> "";
        } + " ORDER BY " + orderBy;
    }

    /** The rows of one user's export: streams in [from, to) of UTC, and what they reference. */
    String exportQuery() {
        String where = switch (this) {
            case STREAMS -> " WHERE s.user_id = ? AND s.ts_utc >= ? AND s.ts_utc < ?";
            case PLAYLISTS, PLAYLIST_ITEMS -> " WHERE s.user_id = ?";
            case TRACKS, TRACK_ARTISTS -> " WHERE s.track_id IN (" + USER_TRACKS + ")";
            case ALBUMS -> " WHERE s.album_id IN (SELECT t.album_id FROM track t WHERE t.track_id IN (" + USER_TRACKS + "))";
            case ARTISTS, GENRES -> " WHERE s.artist_id IN (SELECT ta.artist_id FROM track_artist ta WHERE ta.track_id IN ("
                    + USER_TRACKS + "))";
        };
        return select() + where + " ORDER BY " + orderBy;
    }

    /** Binds an {@link #exportQuery()}: every table takes the user, most the UTC bounds too. */
    void bindExport(PreparedStatement ps, String user, LocalDateTime fromUtc, LocalDateTime toUtc) throws SQLException {
        ps.setString(1, user);
        if (this != PLAYLISTS && this != PLAYLIST_ITEMS) {
            ps.setObject(2, fromUtc);
            ps.setObject(3, toUtc);
        }
    }

    private String select() {
        return "SELECT " + specs.stream().filter(s -> s.sql() != null).map(Spec::sql).collect(Collectors.joining(", "))
                + " FROM " + from;
    }

    /** One row of a query of this table, typed for a {@link TableWriter}; local date and hour in {@code zone}. */
    Object[] read(ResultSet rs, ZoneId zone) throws SQLException {
        Object[] row = new Object[specs.size()];
        int sqlIndex = 1;
        LocalDateTime tsUtc = null;
        List<Integer> computedAt = new ArrayList<>(2);
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            if (spec.sql() == null) {
                computedAt.add(i);
                continue;
            }
            row[i] = value(rs, sqlIndex++, spec.column().type());
            if (spec.column().name().equals("ts_utc")) {
                tsUtc = (LocalDateTime) row[i];
            }
        }
        if (tsUtc != null && !computedAt.isEmpty()) {
            LocalDateTime local = tsUtc.atOffset(ZoneOffset.UTC).atZoneSameInstant(zone).toLocalDateTime();
            for (int i : computedAt) {
                row[i] = specs.get(i).column().type() == DATE ? local.toLocalDate() : (Object) local.getHour();
            }
        }
        return row;
    }

    private static Object value(ResultSet rs, int i, ColumnType type) throws SQLException {
        Object v = switch (type) {
            case TEXT -> rs.getString(i);
            case INT -> rs.getInt(i);
            case BIGINT -> rs.getLong(i);
            case BOOL -> rs.getBoolean(i);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case DATE -> rs.getObject(i, LocalDate.class);
        };
        return rs.wasNull() ? null : v;
    }
}
