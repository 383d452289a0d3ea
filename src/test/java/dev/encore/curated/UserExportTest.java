package dev.encore.curated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.encore.Samples;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code encore export}'s files, read back with commons-csv and parquet-java, against the warehouse. */
class UserExportTest {
    @TempDir
    Path tmp;
    private CuratedFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private UserExport export() {
        return new UserExport(f.database, f.zones, "128MB", tmp.resolve("scratch"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void csvRoundTripsThroughAStandardReader(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 60), "ana");
        f.load(Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json"), "bob"); // someone else's

        Map<CuratedTable, Long> rows = export().export("ana", UserExport.Format.CSV, tmp.resolve("out"), null, null);

        Map<Long, Map<String, Object>> warehouse = f.warehouseStreams("ana");
        assertThat(rows.get(CuratedTable.STREAMS)).isEqualTo(warehouse.size());
        Path csv = tmp.resolve("out/streams.csv");
        assertThat(new String(Files.readAllBytes(csv), StandardCharsets.UTF_8)).doesNotStartWith("\uFEFF");
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(
                    CuratedTable.STREAMS.columns().stream().map(Column::name).toList());
            List<CSVRecord> records = parser.getRecords();
            assertThat(records).hasSize(warehouse.size());
            for (CSVRecord r : records) {
                Map<String, Object> db = warehouse.get(Long.parseLong(r.get("stream_id")));
                assertThat(db).isNotNull();
                for (String column : List.of("track_name", "artist_name", "album_name", "episode_name", "show_name",
                        "platform", "track_uri", "kind", "source")) {
                    // a null is an empty field, an empty text a quoted empty one: commons-csv gives both as ""
                    Object expected = db.get(column);
                    assertThat(r.get(column)).as(column).isEqualTo(expected == null ? "" : expected);
                }
                assertThat(Integer.parseInt(r.get("ms_played"))).isEqualTo(db.get("ms_played"));
                assertThat(LocalDateTime.parse(r.get("ts_utc"))).isEqualTo(db.get("ts_utc"));
                Object shuffle = db.get("shuffle");
                assertThat(r.get("shuffle")).isEqualTo(shuffle == null ? "" : shuffle.toString());
            }
        }
        // the hard names are really in there
        String text = Files.readString(csv);
        assertThat(text).contains("\"Say \"\"Hello\"\", World").contains("東京事変").contains("🎧🔥").contains("عمرو دياب");
        // nothing is described here, so the catalogue part is empty
        assertThat(rows.get(CuratedTable.TRACKS)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theCataloguePartHoldsOnlyWhatTheUsersStreamsReference(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 10), "ana");
        CuratedZoneTest.describe(f, "0000000000000000000001", "j-pop", "Mine", "p1");
        CuratedZoneTest.describe(f, "7777777777777777777777", "k-indie", "Also mine", "p2");

        Map<CuratedTable, Long> rows = export().export("ana", UserExport.Format.PARQUET, tmp.resolve("out"), null, null);

        assertThat(ParquetRows.read(tmp.resolve("out/tracks.parquet"))).extracting(r -> r.get("track_id"))
                .containsExactly("0000000000000000000001");
        assertThat(ParquetRows.read(tmp.resolve("out/genres.parquet"))).extracting(r -> r.get("genre")).containsExactly("j-pop");
        assertThat(rows).containsEntry(CuratedTable.ALBUMS, 1L).containsEntry(CuratedTable.ARTISTS, 1L)
                .containsEntry(CuratedTable.TRACK_ARTISTS, 1L).containsEntry(CuratedTable.PLAYLISTS, 2L);
        // the lake's catalogue is the operator's: all of it
        f.zone.pass();
        assertThat(ParquetRows.read(f.lakeDir.resolve("curated/tracks/part-00000.parquet"))).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void parquetExportOfAPeriodHoldsThatPeriodOnly(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        f.load(Samples.file("efrrowini", "Streaming_History_Audio_2023.json"), "erin");
        LocalDate from = LocalDate.of(2023, 3, 1);
        LocalDate to = LocalDate.of(2023, 6, 1);

        Map<CuratedTable, Long> rows = export().export("erin", UserExport.Format.PARQUET, tmp.resolve("out"), from, to);

        List<Map<String, Object>> read = ParquetRows.read(tmp.resolve("out/streams.parquet"));
        // the period is in the user's zone (Europe/Madrid here): count and sum it from the warehouse rows
        List<Map<String, Object>> inPeriod = f.warehouseStreams("erin").values().stream().filter(r -> {
            LocalDate d = ((LocalDateTime) r.get("ts_utc")).atOffset(ZoneOffset.UTC).atZoneSameInstant(ZoneId.of("Europe/Madrid"))
                    .toLocalDate();
            return !d.isBefore(from) && d.isBefore(to);
        }).toList();
        assertThat(inPeriod).isNotEmpty();
        assertThat(read).hasSize(inPeriod.size());
        assertThat(rows.get(CuratedTable.STREAMS)).isEqualTo(inPeriod.size());
        assertThat(read).allSatisfy(r -> assertThat((LocalDate) r.get("local_date")).isBetween(from, to.minusDays(1)));
        assertThat(read.stream().mapToLong(r -> (Integer) r.get("ms_played")).sum())
                .isEqualTo(inPeriod.stream().mapToLong(r -> (Integer) r.get("ms_played")).sum());
        for (CuratedTable t : CuratedTable.values()) {
            assertThat(tmp.resolve("out/" + t.tableName() + ".parquet")).exists();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void anUnknownUserOrFormatIsRefused(String kind) throws Exception {
        f = new CuratedFixture(kind, tmp);
        assertThatThrownBy(() -> export().export("nobody", UserExport.Format.CSV, tmp.resolve("out"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no user 'nobody'");
        assertThatThrownBy(() -> UserExport.Format.of("xlsx")).hasMessage("unknown format 'xlsx': use parquet or csv");
    }
}
