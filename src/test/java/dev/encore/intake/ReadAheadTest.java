package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.Samples;
import dev.encore.export.StreamRecord;
import dev.encore.export.StreamingHistoryReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsing thread hands the writer every record once, in file order, in batches that start small. */
class ReadAheadTest {
    private static final Path FILE = Samples.file("alexgasconn-mireia", "Streaming_History_Audio_2023_8.json");

    @Test
    void batchesStartSmallAndDoubleUpToTheBatchSizeAndHoldEveryRecordInFileOrder() throws Exception {
        List<StreamRecord> expected = readDirectly();
        assertThat(expected).hasSizeGreaterThan(5_000);

        List<Integer> sizes = new ArrayList<>();
        List<StreamRecord> handed = new ArrayList<>();
        List<StreamRecord> seen = new ArrayList<>();
        try (InputStream in = Files.newInputStream(FILE);
                StreamingHistoryReader reader = StreamingHistoryReader.open(in, FILE.getFileName().toString());
                ReadAhead records = new ReadAhead(reader, 1_000, 2, seen::add)) {
            for (List<StreamRecord> batch = records.next(); batch != null; batch = records.next()) {
                sizes.add(batch.size());
                handed.addAll(batch);
            }
        }

        assertThat(sizes.subList(0, 5)).containsExactly(ReadAhead.FIRST_BATCH, 2 * ReadAhead.FIRST_BATCH,
                4 * ReadAhead.FIRST_BATCH, 8 * ReadAhead.FIRST_BATCH, 1_000);
        assertThat(sizes.subList(5, sizes.size() - 1)).containsOnly(1_000);
        assertThat(handed).containsExactlyElementsOf(expected);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    private static List<StreamRecord> readDirectly() throws Exception {
        List<StreamRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(FILE);
                StreamingHistoryReader reader = StreamingHistoryReader.open(in, FILE.getFileName().toString())) {
            for (StreamRecord r = reader.next(); r != null; r = reader.next()) {
                out.add(r);
            }
        }
        return out;
    }
}
