package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast paths (rows straight into {@code stream}: COPY on PostgreSQL, plain INSERTs elsewhere,
 * falling back when the unique key refuses a row) store exactly what the conflict-safe path
 * stores, row for row and count for count: one user loads through each, and their tables and
 * runs are compared.
 */
class FastPathExactnessTest extends ImporterTestBase {
    /** Above one PostgreSQL COPY round (25,000 rows), so a refused round can follow one that went straight in. */
    private static final int BIG = 31_000;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFileWithRepeatsInsideIt(String kind) throws Exception {
        open(kind);
        assertSameRows(List.of(Samples.file("lshatkin", "endsong_2.json"))); // 20+ exact repeats
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFileOverlappingStoredRows(String kind) throws Exception {
        open(kind);
        Path whole = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        ArrayNode records = (ArrayNode) JSON.readTree(whole.toFile());
        ArrayNode half = JSON.createArrayNode();
        for (int i = 0; i < records.size() / 2; i++) {
            half.add(records.get(i));
        }
        assertSameRows(List.of(write("half.json", half), whole));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void repeatsInALaterRoundThanTheFirst(String kind) throws Exception {
        open(kind);
        ArrayNode big = big();
        ArrayNode inRound = big.deepCopy();
        inRound.insert(28_000, inRound.get(27_000)); // both in the second COPY round
        ArrayNode acrossRounds = big.deepCopy();
        acrossRounds.insert(29_000, acrossRounds.get(100)); // a row of the first round, which went straight in
        Path a = write("in-round.json", inRound);
        Path b = write("across-rounds.json", acrossRounds);
        assertSameRows(List.of(a));
        close();
        open(kind);
        assertSameRows(List.of(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void accountDataAndExtendedHistoryMergedPlayByPlayInEitherOrder(String kind) throws Exception {
        open(kind);
        List<Path> basic = List.of(Samples.file("alexgasconn-mireia", "StreamingHistory0.json"),
                Samples.file("alexgasconn-mireia", "StreamingHistory1.json"));
        List<Path> extended = List.of(Samples.file("alexgasconn-mireia", "Streaming_History_Audio_2023_8.json"),
                Samples.file("alexgasconn-mireia", "Streaming_History_Video_2018-2023.json"));
        List<Path> basicFirst = new ArrayList<>(basic);
        basicFirst.addAll(extended);
        List<Path> extendedFirst = new ArrayList<>(extended);
        extendedFirst.addAll(basic);
        assertSameRows(basicFirst);
        close();
        open(kind);
        assertSameRows(extendedFirst);
    }

    /** Loads the files in order for one user through each importer, and compares what each stored and counted. */
    private void assertSameRows(List<Path> files) throws Exception {
        List<String> fastCounts = new ArrayList<>();
        List<String> safeCounts = new ArrayList<>();
        for (Path f : files) {
            fastCounts.add(counts(importer.importFile(f, "fast/" + f.getFileName(), "fast", "cli")));
            safeCounts.add(counts(importer.conflictSafeOnly().importFile(f, "safe/" + f.getFileName(), "safe", "cli")));
        }
        assertThat(fastCounts).isEqualTo(safeCounts);
        List<String> fastRows = rows("fast");
        assertThat(fastRows).isNotEmpty().isEqualTo(rows("safe"));
        assertThat(db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'fast'")).isEqualTo(
                db.count("SELECT SUM(records_inserted) FROM import_run WHERE user_id = 'fast'"));
    }

    private static String counts(FileReport report) {
        assertThat(report.outcome()).as(report.describe()).isEqualTo(Outcome.LOADED);
        StringBuilder s = new StringBuilder();
        for (RunReport r : report.runs()) {
            s.append(r.counts()).append(' ');
        }
        return s.toString();
    }

    /** Every stored column but the generated ids and the user, in key order. */
    private List<String> rows(String user) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM stream WHERE user_id = ? ORDER BY ts_utc, ms_played, content_hash")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        String column = rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                        if (!column.equals("stream_id") && !column.equals("import_run_id") && !column.equals("user_id")) {
                            row.append(column).append('=').append(rs.getString(i)).append(' ');
                        }
                    }
                    rows.add(row.toString());
                }
            }
        }
        return rows;
    }

    /** {@value #BIG} records: a real sample repeated a month earlier each time. */
    private static ArrayNode big() throws Exception {
        ArrayNode sample = (ArrayNode) JSON.readTree(Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json").toFile());
        ArrayNode big = JSON.createArrayNode();
        for (int k = 0; big.size() < BIG; k++) {
            for (JsonNode r : sample) {
                if (big.size() == BIG) {
                    break;
                }
                ObjectNode copy = r.deepCopy();
                copy.put("ts", Instant.parse(r.get("ts").asText()).minus(Duration.ofDays(30L * k)).toString());
                big.add(copy);
            }
        }
        return big;
    }

    private Path write(String name, ArrayNode records) throws Exception {
        Path file = tmp.resolve(name);
        JSON.writeValue(file.toFile(), records);
        return file;
    }
}
