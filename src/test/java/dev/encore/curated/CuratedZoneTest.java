package dev.encore.curated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The curated zone against a real warehouse (H2 and PostgreSQL), read back with parquet-java
 * (not DuckDB, which wrote it): the same rows and values, one file per UTC month, rewritten only
 * when its month changed.
 */
class CuratedZoneTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    @TempDir
    Path tmp;
    private CuratedFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRealExportReadsBackAsTheWarehouseHoldsIt(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        for (String name : List.of("Streaming_History_Audio_2022.json", "Streaming_History_Audio_2023.json",
                "Streaming_History_Video_2023.json")) {
            f.load(Samples.file("efrrowini", name), "erin");
        }
        CuratedZone.Pass pass = f.zone.pass();

        assertSameAsWarehouse("erin");
        assertThat(pass.filesWritten()).isEqualTo(f.streamFiles("erin").size());
        assertThat(f.status.lastError()).isNull();
        assertThat(f.status.pendingUsers()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void hardNamesAndNullsSurviveAndOnlyChangedMonthsAreRewritten(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        Path first = CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 80); // Jan to Mar 2024
        f.load(first, "zoe.m@example");
        f.zone.pass();
        String user = "zoe.m@example";
        assertSameAsWarehouse(user);
        List<Path> files = f.streamFiles(user);
        assertThat(files).hasSize(3);
        assertThat(files.get(0).toString()).contains("user=zoe.m%40example/year=2024/month=01/");
        Map<Path, FileTime> before = mtimes(files);

        // the same export again: nothing changed, nothing is written
        f.load(first, user);
        CuratedZone.Pass again = f.zone.pass();
        assertThat(again.filesWritten()).isZero();
        assertThat(mtimes(f.streamFiles(user))).isEqualTo(before);

        // a load of one new month rewrites that month only
        Path may = CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_b.json",
                Instant.parse("2024-05-02T10:00:00Z"), 20);
        f.load(may, user);
        CuratedZone.Pass third = f.zone.pass();
        assertThat(third.filesWritten()).isEqualTo(1);
        List<Path> after = f.streamFiles(user);
        assertThat(after).hasSize(4);
        assertThat(mtimes(after.subList(0, 3))).isEqualTo(before);
        assertThat(after.get(3).toString()).contains("year=2024/month=05");
        assertSameAsWarehouse(user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void columnsHaveTheTypesAReaderExpects(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 10), "ana");
        f.zone.pass();
        Map<String, String> types = ParquetRows.types(f.streamFiles("ana").get(0));
        assertThat(types.get("ts_utc")).startsWith("INT64/TIMESTAMP(MICROS,false)");
        assertThat(types.get("local_date")).isEqualTo("INT32/DATE");
        assertThat(types.get("local_hour")).isEqualTo("INT32/INTEGER(32,true)");
        assertThat(types.get("ms_played")).isEqualTo("INT32/INTEGER(32,true)");
        assertThat(types.get("shuffle")).isEqualTo("BOOLEAN/");
        assertThat(types.get("ms_played_estimated")).isEqualTo("BOOLEAN/");
        assertThat(types.get("track_name")).isEqualTo("BINARY/STRING");
        assertThat(types.get("stream_id")).isEqualTo("INT64/INTEGER(64,true)");
        assertThat(types.keySet()).containsExactlyElementsOf(
                CuratedTable.STREAMS.columns().stream().map(Column::name).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void streamsThatAreGoneTakeTheirFileWithThem(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 40), "ana");
        f.zone.pass();
        assertThat(f.streamFiles("ana")).hasSize(2);
        try (var c = f.database.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM stream WHERE user_id = 'ana' AND ts_utc >= TIMESTAMP '2024-02-01 00:00:00'");
        }
        f.zone.changed("ana");
        CuratedZone.Pass pass = f.zone.pass();
        assertThat(pass.filesDeleted()).isEqualTo(1);
        assertThat(f.streamFiles("ana")).hasSize(1);
        assertSameAsWarehouse("ana");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNewTimeZoneRewritesTheUsersMonthsAndTheLibraryAndCatalogueAreWritten(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 40), "ana");
        describe(f, "0000000000000000000001", "j-pop", "Ana's \"song\", 東京", "spotify:playlist:1");
        f.zone.pass();
        assertThat(f.streamFiles("ana")).hasSize(2);
        assertThat(f.zone.pass().filesWritten()).as("nothing changed").isZero();

        f.zones.setZone("ana", ZoneId.of("Asia/Tokyo"));
        CuratedZone.Pass rezoned = f.zone.pass();
        assertThat(rezoned.filesWritten()).isEqualTo(2);
        Map<String, Object> first = f.lakeStreams("ana").get(0);
        LocalDateTime ts = (LocalDateTime) first.get("ts_utc");
        assertThat(first.get("local_hour")).isEqualTo(ts.atOffset(ZoneOffset.UTC).atZoneSameInstant(ZoneId.of("Asia/Tokyo")).getHour());

        List<Map<String, Object>> playlists = ParquetRows.read(f.lakeDir.resolve("curated/playlists/user=ana/part-00000.parquet"));
        assertThat(playlists).singleElement().satisfies(p -> {
            assertThat(p.get("playlist_name")).isEqualTo("Ana's \"song\", 東京");
            assertThat(p.get("is_public")).isEqualTo(true);
            assertThat(p.get("description")).isNull();
            assertThat(p.get("fetched_at")).isEqualTo(LocalDateTime.of(2024, 3, 1, 12, 0, 0, 123_000_000));
        });
        List<Map<String, Object>> tracks = ParquetRows.read(f.lakeDir.resolve("curated/tracks/part-00000.parquet"));
        assertThat(tracks).singleElement().satisfies(t -> {
            assertThat(t.get("track_id")).isEqualTo("0000000000000000000001");
            assertThat(t.get("duration_ms")).isEqualTo(201_000);
            assertThat(t.get("explicit")).isEqualTo(false);
            assertThat(t.get("popularity")).isNull();
        });
        assertThat(ParquetRows.read(f.lakeDir.resolve("curated/genres/part-00000.parquet")))
                .singleElement().satisfies(g -> assertThat(g.get("genre")).isEqualTo("j-pop"));
    }

    /** A described track (with album, artist and genre) and a playlist, as enrichment and the live flow store them. */
    static void describe(CuratedFixture f, String trackId, String genre, String playlistName, String playlistUri) throws Exception {
        try (var c = f.database.dataSource().getConnection(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO album (album_id, name, described_at) VALUES ('al" + trackId.substring(2)
                    + "', 'An album', TIMESTAMP '2024-03-01 12:00:00')");
            s.executeUpdate("INSERT INTO artist (artist_id, name, described_at) VALUES ('ar" + trackId.substring(2)
                    + "', 'An artist', TIMESTAMP '2024-03-01 12:00:00')");
            s.executeUpdate("INSERT INTO track (track_id, name, album_id, duration_ms, explicit, described_at) VALUES ('"
                    + trackId + "', 'A track', 'al" + trackId.substring(2) + "', 201000, FALSE, TIMESTAMP '2024-03-01 12:00:00')");
            s.executeUpdate("INSERT INTO track_artist (track_id, position, artist_id) VALUES ('" + trackId + "', 0, 'ar"
                    + trackId.substring(2) + "')");
            s.executeUpdate("INSERT INTO genre (name) VALUES ('" + genre + "')");
            s.executeUpdate("INSERT INTO artist_genre (artist_id, genre_id, source) SELECT 'ar" + trackId.substring(2)
                    + "', genre_id, 'musicbrainz' FROM genre WHERE name = '" + genre + "'");
        }
        try (var c = f.database.dataSource().getConnection(); var ps = c.prepareStatement("INSERT INTO playlist (user_id, "
                + "playlist_id, playlist_name, is_public, items_total, list_position, fetched_at, import_run_id) "
                + "VALUES ('ana', ?, ?, TRUE, 0, 0, TIMESTAMP '2024-03-01 12:00:00.123', 1)")) {
            ps.setString(1, playlistUri);
            ps.setString(2, playlistName);
            ps.executeUpdate();
        }
    }

    /** Every stream once, with its values; per UTC month the same count and minutes. */
    private void assertSameAsWarehouse(String user) throws Exception {
        Map<Long, Map<String, Object>> warehouse = f.warehouseStreams(user);
        List<Map<String, Object>> lake = f.lakeStreams(user);
        assertThat(lake).hasSize(warehouse.size());
        assertThat(warehouse).isNotEmpty();
        Map<String, long[]> lakeMonths = new TreeMap<>();
        Map<String, long[]> dbMonths = new TreeMap<>();
        Map<Long, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> row : lake) {
            byId.put((Long) row.get("stream_id"), row);
            LocalDateTime ts = (LocalDateTime) row.get("ts_utc");
            long[] m = lakeMonths.computeIfAbsent(ts.getYear() + "-" + ts.getMonthValue(), k -> new long[2]);
            m[0]++;
            m[1] += (Integer) row.get("ms_played");
        }
        assertThat(byId).hasSize(warehouse.size());
        for (Map<String, Object> db : warehouse.values()) {
            Map<String, Object> row = byId.get((Long) db.get("stream_id"));
            assertThat(row).as("stream %s", db.get("stream_id")).isNotNull();
            for (String column : db.keySet()) {
                assertThat(row.get(column)).as("%s of stream %s", column, db.get("stream_id")).isEqualTo(db.get(column));
            }
            LocalDateTime local = ((LocalDateTime) db.get("ts_utc")).atOffset(ZoneOffset.UTC).atZoneSameInstant(MADRID)
                    .toLocalDateTime();
            assertThat(row.get("local_date")).isEqualTo(local.toLocalDate());
            assertThat(row.get("local_hour")).isEqualTo(local.getHour());
            assertThat(row.get("user_id")).isEqualTo(user);
            LocalDateTime ts = (LocalDateTime) db.get("ts_utc");
            long[] m = dbMonths.computeIfAbsent(ts.getYear() + "-" + ts.getMonthValue(), k -> new long[2]);
            m[0]++;
            m[1] += (Integer) db.get("ms_played");
        }
        assertThat(lakeMonths.keySet()).isEqualTo(dbMonths.keySet());
        for (String month : dbMonths.keySet()) {
            assertThat(lakeMonths.get(month)).as(month).containsExactly(dbMonths.get(month));
        }
        // one file per month, each holding its month only
        assertThat(f.streamFiles(user)).hasSize(dbMonths.size());
        Map<String, Long> sumsFromSql = sqlMonthSums(user);
        assertThat(sumsFromSql).isEqualTo(lakeMonths.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[1])));
    }

    /** ms_played per UTC month as the database itself sums it. */
    private Map<String, Long> sqlMonthSums(String user) throws Exception {
        Map<String, Long> sums = new HashMap<>();
        String y = f.database.dialect().datePart("YEAR", "ts_utc");
        String m = f.database.dialect().datePart("MONTH", "ts_utc");
        try (var c = f.database.dataSource().getConnection(); var ps = c.prepareStatement("SELECT " + y + ", " + m
                + ", SUM(CAST(ms_played AS BIGINT)) FROM stream WHERE user_id = ? GROUP BY " + y + ", " + m)) {
            ps.setString(1, user);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getInt(1) + "-" + rs.getInt(2), rs.getLong(3));
                }
            }
        }
        return sums;
    }

    private static Map<Path, FileTime> mtimes(List<Path> files) throws Exception {
        Map<Path, FileTime> times = new HashMap<>();
        for (Path p : files) {
            times.put(p, Files.getLastModifiedTime(p));
        }
        return times;
    }
}
