package dev.encore.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every export generation, read from the real sample files; expectations come from the raw JSON. */
class StreamingHistoryReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}/{1} is {2}")
    @CsvSource({
            "hobbies-w-erin, StreamingHistory_music_0.json, account-music",
            "hobbies-w-erin, StreamingHistory_music_1.json, account-music",
            "hobbies-w-erin, StreamingHistory_podcast_0.json, account-podcast",
            "hobbies-w-erin, StreamingHistory_audiobook_0.json, account-audiobook",
            "alexgasconn-mireia, StreamingHistory0.json, account-music",
            "alexgasconn-mireia, Streaming_History_Audio_2023_8.json, extended-2022",
            "alexgasconn-mireia, Streaming_History_Video_2018-2023.json, extended-2022",
            "c3988169, Streaming_History_Audio_2024-2025.json, extended-2024",
            "zulkifalkhan889, Streaming_History_Audio_2024-2025.json, extended-2024",
            "efrrowini, Streaming_History_Audio_2026.json, extended-2024",
            "efrrowini, Streaming_History_Video_2023.json, extended-2024",
            "nate-downer, endsong_2.json, extended-2022",
            "nate-downer, StreamingHistory0.json, account-music",
            "lshatkin, endsong_2.json, extended-2020",
            "lshatkin, endvideo.json, extended-2020",
    })
    void detectsTheSchemaFromTheKeysAndReadsEveryRecord(String person, String file, String format) throws Exception {
        Path path = Samples.file(person, file);
        JsonNode raw = JSON.readTree(path.toFile());

        List<StreamRecord> records = readAll(path);

        assertThat(records).hasSize(raw.size());
        try (InputStream in = Files.newInputStream(path); StreamingHistoryReader reader = StreamingHistoryReader.open(in, file)) {
            assertThat(reader.format().label()).isEqualTo(format);
        }
        String timeKey = raw.get(0).has("ts") ? "ts" : "endTime";
        String msKey = raw.get(0).has("ms_played") ? "ms_played" : "msPlayed";
        for (int i = 0; i < raw.size(); i++) {
            assertThat(records.get(i).msPlayed()).isEqualTo(raw.get(i).get(msKey).asInt());
            String time = raw.get(i).get(timeKey).asText();
            assertThat(records.get(i).endedAt()).isEqualTo(Instant.parse(
                    time.length() == 16 ? time.replace(' ', 'T') + ":00Z" : time));
        }
    }

    @Test
    void otherFilesOfTheExportAreNotStreamingHistory() throws Exception {
        for (String file : List.of("Playlist1.json", "YourLibrary.json", "Userdata.json")) {
            Path path = Samples.file("hobbies-w-erin", file);
            try (InputStream in = Files.newInputStream(path); StreamingHistoryReader reader = StreamingHistoryReader.open(in, file)) {
                assertThat(reader.format()).as(file).isNull();
                assertThat(reader.notHistoryReason()).contains("not a streaming history");
            }
        }
    }

    @Test
    void classifiesMusicPodcastsAndAudiobooksInTheCurrentSchema() throws Exception {
        Path path = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        JsonNode raw = JSON.readTree(path.toFile());
        int music = 0, episodes = 0, audiobooks = 0;
        for (JsonNode r : raw) {
            if (!r.get("audiobook_uri").isNull()) {
                audiobooks++;
            } else if (!r.get("spotify_track_uri").isNull()) {
                music++;
            } else if (!r.get("spotify_episode_uri").isNull()) {
                episodes++;
            }
        }

        Map<Kind, Integer> kinds = countKinds(readAll(path));

        assertThat(kinds.getOrDefault(Kind.MUSIC, 0)).isEqualTo(music);
        assertThat(kinds.getOrDefault(Kind.EPISODE, 0)).isEqualTo(episodes).isEqualTo(4);
        assertThat(kinds.getOrDefault(Kind.AUDIOBOOK, 0)).isEqualTo(audiobooks).isEqualTo(7);
    }

    @Test
    void videoFilesAreMarkedVideoAndOldMixedAccountFilesUnknown() throws Exception {
        assertThat(countKinds(readAll(Samples.file("lshatkin", "endvideo.json"))).keySet())
                .containsOnly(Kind.VIDEO);
        assertThat(countKinds(readAll(Samples.file("alexgasconn-mireia", "StreamingHistory2.json"))).keySet())
                .containsOnly(Kind.UNKNOWN);
        assertThat(countKinds(readAll(Samples.file("hobbies-w-erin", "StreamingHistory_music_1.json"))).keySet())
                .containsOnly(Kind.MUSIC);
    }

    @Test
    void offlineTimestampsInMillisecondsAndSecondsBothBecomeRealTimes() throws Exception {
        Instant earliest = Instant.parse("2008-01-01T00:00:00Z");
        Instant latest = Instant.parse("2027-01-01T00:00:00Z");
        for (Path path : List.of(Samples.file("nate-downer", "endsong_2.json"), // milliseconds, many 0
                Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json"))) { // seconds
            List<StreamRecord> records = readAll(path);
            assertThat(records).filteredOn(r -> r.offlineAt() != null).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.offlineAt()).isBetween(earliest, latest));
        }
    }

    @Test
    void theSamePlayInAccountDataAndExtendedHistoryGetsTheSameContentKey() throws Exception {
        // mireia: every extended music play of the overlap has an account row with the same minute and ms
        List<StreamRecord> basic = new ArrayList<>();
        for (String f : List.of("StreamingHistory0.json", "StreamingHistory1.json", "StreamingHistory2.json")) {
            basic.addAll(readAll(Samples.file("alexgasconn-mireia", f)));
        }
        var byMinute = new java.util.HashSet<String>();
        basic.forEach(r -> byMinute.add(r.endedAt() + "|" + r.msPlayed() + "|" + r.contentHash()));
        List<StreamRecord> extended = readAll(Samples.file("alexgasconn-mireia", "Streaming_History_Audio_2023_8.json"));
        long matched = extended.stream()
                .filter(r -> byMinute.contains(r.endedAt().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + "|"
                        + r.msPlayed() + "|" + r.contentHash()))
                .count();
        assertThat(matched).isEqualTo(5349); // SOURCES.md: all 5,349 plays of the overlap have a basic twin
    }

    static List<StreamRecord> readAll(Path path) throws IOException, UnreadableExportException {
        List<StreamRecord> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(path);
             StreamingHistoryReader reader = StreamingHistoryReader.open(in, path.getFileName().toString())) {
            for (StreamRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
            assertThat(reader.recordsRejected()).as("rejected records in " + path).isZero();
        }
        return records;
    }

    private static Map<Kind, Integer> countKinds(List<StreamRecord> records) {
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        records.forEach(r -> kinds.merge(r.kind(), 1, Integer::sum));
        return kinds;
    }
}
