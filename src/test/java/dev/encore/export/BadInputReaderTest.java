package dev.encore.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.encore.Samples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the reader says about broken files and broken records, in words a person can act on. */
class BadInputReaderTest {
    private static final String GOOD = """
            {"ts":"2024-03-02T07:41:10Z","platform":"android","ms_played":183000,"conn_country":"DE","ip_addr":"0.0.0.0",
             "master_metadata_track_name":"Song","master_metadata_album_artist_name":"Band","master_metadata_album_album_name":"LP",
             "spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC","episode_name":null,"episode_show_name":null,
             "spotify_episode_uri":null,"audiobook_title":null,"audiobook_uri":null,"audiobook_chapter_uri":null,
             "audiobook_chapter_title":null,"reason_start":"clickrow","reason_end":"trackdone","shuffle":false,
             "skipped":false,"offline":false,"offline_timestamp":1709365270,"incognito_mode":false}""";

    @Test
    void aTruncatedFileIsUnreadable() throws Exception {
        byte[] full = Files.readAllBytes(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> readAll(cut)).isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aPdfIsNotJson() {
        byte[] pdf = "%PDF-1.4\n%âãÏÓ\n1 0 obj << /Type /Catalog >>".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> readAll(pdf)).isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("is not valid JSON").hasMessageContaining("line 1");
    }

    @Test
    void aSingleRecordObjectInsteadOfAnArrayIsUnreadable() {
        assertThatThrownBy(() -> readAll(GOOD.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("single JSON object where a JSON array");
    }

    @Test
    void anEmptyFileAndAnEmptyArrayAreUnreadable() {
        assertThatThrownBy(() -> readAll(new byte[0])).hasMessageContaining("is empty");
        assertThatThrownBy(() -> readAll(" [ ] ".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("empty JSON array");
    }

    @Test
    void anArrayOfNumbersIsNotAHistory() {
        assertThatThrownBy(() -> readAll("[1, 2, 3]".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("array of numbers");
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws Exception {
        byte[] body = ("[" + GOOD + "," + GOOD.replace("07:41:10", "07:45:10") + "]").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertThat(readAll(withBom)).hasSize(2);
    }

    @Test
    void aRecordWithAWrongTypeIsRejectedAloneWithItsReason() throws Exception {
        String json = "[" + GOOD + ","
                + GOOD.replace("\"ms_played\":183000", "\"ms_played\":\"lots\"") + ","
                + GOOD.replace("\"ts\":\"2024-03-02T07:41:10Z\"", "\"ts\":12345") + ","
                + GOOD.replace("\"shuffle\":false", "\"shuffle\":{\"on\":true}") + ","
                + "42,"
                + GOOD.replace("07:41:10", "08:00:00") + "]";
        try (StreamingHistoryReader reader = open(json.getBytes(StandardCharsets.UTF_8))) {
            List<StreamRecord> good = drain(reader);
            assertThat(good).hasSize(2);
            assertThat(reader.recordsRead()).isEqualTo(6);
            assertThat(reader.recordsRejected()).isEqualTo(4);
            assertThat(reader.rejections()).extracting(RecordRejection::recordNumber).containsExactly(2, 3, 4, 5);
            assertThat(reader.rejections().get(0).reason()).contains("ms_played should be a whole number");
            assertThat(reader.rejections().get(1).reason()).contains("ts should be a time text but is the number 12345");
            assertThat(reader.rejections().get(2).reason()).contains("shuffle should be true, false or null but is an object");
            assertThat(reader.rejections().get(3).reason()).contains("is a number, not a JSON object");
        }
    }

    @Test
    void aTenMegabyteValueCostsOneRecordNotTheFile() throws Exception {
        String huge = "x".repeat(10 * 1024 * 1024);
        String json = "[" + GOOD + "," + GOOD.replace("\"Song\"", "\"" + huge + "\"").replace("07:41:10", "07:50:00") + ","
                + GOOD.replace("07:41:10", "08:00:00") + "]";
        try (StreamingHistoryReader reader = open(json.getBytes(StandardCharsets.UTF_8))) {
            assertThat(drain(reader)).hasSize(2);
            assertThat(reader.rejections()).singleElement().satisfies(r ->
                    assertThat(r.reason()).contains("master_metadata_track_name is 10485760 characters long"));
        }
    }

    @Test
    void aFiftyMegabyteValueInAFieldEncoreDoesNotReadIsSkippedWithoutCostingItsRecord() throws Exception {
        String huge = "x".repeat(50 * 1024 * 1024); // past the parser's 32 MB limit for a value it reads
        String json = "[" + GOOD + "," + GOOD.replace("\"platform\":\"android\"", "\"notes\":\"" + huge + "\",\"platform\":\"android\"")
                .replace("07:41:10", "07:50:00") + "," + GOOD.replace("07:41:10", "08:00:00") + "]";
        try (StreamingHistoryReader reader = open(json.getBytes(StandardCharsets.UTF_8))) {
            assertThat(drain(reader)).hasSize(3);
            assertThat(reader.rejections()).isEmpty();
        }
    }

    @Test
    void aValueNestedSixtyFiveDeepInAFieldEncoreDoesNotReadCostsNothing() throws Exception {
        String deep = "[".repeat(65) + "1" + "]".repeat(65);
        String json = "[" + GOOD + "," + GOOD.replace("\"platform\":\"android\"", "\"extra\":" + deep + ",\"platform\":\"android\"")
                .replace("07:41:10", "07:50:00") + "," + GOOD.replace("07:41:10", "08:00:00") + "]";
        try (StreamingHistoryReader reader = open(json.getBytes(StandardCharsets.UTF_8))) {
            assertThat(drain(reader)).hasSize(3);
        }
    }

    @Test
    void aValueNestedPastTheThousandLevelsTheParserFollowsRejectsTheFileSayingWhy() throws Exception {
        String deep = "[".repeat(1001) + "1" + "]".repeat(1001); // in a field Encore does not read, even so
        String json = "[" + GOOD + "," + GOOD.replace("\"platform\":\"android\"", "\"extra\":" + deep + ",\"platform\":\"android\"")
                .replace("07:41:10", "07:50:00") + "]";
        assertThatThrownBy(() -> readAll(json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("has a value larger than Encore reads").hasMessageContaining("nesting depth")
                .hasMessageContaining("1000");
    }

    @Test
    void aFiftyMegabyteValueInAFieldEncoreReadsRejectsTheFileSayingWhy() throws Exception {
        String huge = "x".repeat(50 * 1024 * 1024);
        String json = "[" + GOOD + "," + GOOD.replace("\"Song\"", "\"" + huge + "\"").replace("07:41:10", "07:50:00") + "]";
        assertThatThrownBy(() -> readAll(json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("has a value larger than Encore reads").hasMessageContaining("32000000");
    }

    @Test
    void anImpossibleTimeIsRejected() throws Exception {
        String json = "[" + GOOD.replace("2024-03-02T07:41:10Z", "1970-01-01T00:00:00Z") + ","
                + GOOD.replace("2024-03-02T07:41:10Z", "2024-02-30T07:41:10Z") + "," + GOOD + "]";
        try (StreamingHistoryReader reader = open(json.getBytes(StandardCharsets.UTF_8))) {
            assertThat(drain(reader)).hasSize(1);
            assertThat(reader.rejections()).extracting(RecordRejection::reason)
                    .anySatisfy(r -> assertThat(r).contains("outside the years Spotify has existed"))
                    .anySatisfy(r -> assertThat(r).contains("is not a valid time"));
        }
    }

    private static StreamingHistoryReader open(byte[] bytes) throws IOException, UnreadableExportException {
        return StreamingHistoryReader.open(new ByteArrayInputStream(bytes), "Streaming_History_Audio_2024.json");
    }

    private static List<StreamRecord> readAll(byte[] bytes) throws IOException, UnreadableExportException {
        try (StreamingHistoryReader reader = open(bytes)) {
            return drain(reader);
        }
    }

    private static List<StreamRecord> drain(StreamingHistoryReader reader) throws IOException, UnreadableExportException {
        List<StreamRecord> out = new ArrayList<>();
        for (StreamRecord r = reader.next(); r != null; r = reader.next()) {
            out.add(r);
        }
        return out;
    }
}
