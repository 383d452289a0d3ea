package dev.encore.insights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small extended-history file with what the real samples lack: a private-session stream, a
 * local file, a row without any name, a podcast, a short stream. Written in Spotify's keys.
 */
final class PrivateSessionExport {
    private PrivateSessionExport() {
    }

    static Path write(Path dir) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode rows = json.createArrayNode();
        rows.add(row(json, "2024-03-01T10:00:00Z", 200_000, "Song A", "Artist X", "Album 1", "spotify:track:0000000000000000000001", false, false));
        rows.add(row(json, "2024-03-01T11:00:00Z", 180_000, "Song B", "Artist Y", "Album 2", "spotify:track:0000000000000000000002", true, false));
        rows.add(row(json, "2024-03-02T09:00:00Z", 150_000, "Home Demo", "Me", null, null, false, null)); // a local file
        rows.add(row(json, "2024-03-02T09:30:00Z", 60_000, null, null, null, null, false, null));        // no names at all
        ObjectNode podcast = row(json, "2024-03-02T10:00:00Z", 1_200_000, null, null, null, null, false, false);
        podcast.put("episode_name", "Ep 1");
        podcast.put("episode_show_name", "Show S");
        podcast.put("spotify_episode_uri", "spotify:episode:0000000000000000000003");
        rows.add(podcast);
        rows.add(row(json, "2024-03-03T23:30:00Z", 10_000, "Song A", "Artist X", "Album 1", "spotify:track:0000000000000000000001", false, true));
        rows.add(row(json, "2024-03-04T00:10:00Z", 240_000, "Song C", "Artist Y", "Album 2", "spotify:track:0000000000000000000004", false, false));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("Streaming_History_Audio_2024.json");
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rows);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One artist first heard in a private session (Jan 5), then openly (Feb 10), in extended
     * history, and the Jan 5 stream again in account data, which says nothing of private sessions.
     *
     * @return the extended file, then the account file
     */
    static java.util.List<Path> privateFirstPlayInBothExports(Path dir) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode extended = json.createArrayNode();
        extended.add(row(json, "2024-01-05T10:00:42Z", 200_000, "Song Z", "Artist Z", "Album Z",
                "spotify:track:0000000000000000000026", true, false));
        extended.add(row(json, "2024-02-10T18:30:00Z", 200_000, "Song Z", "Artist Z", "Album Z",
                "spotify:track:0000000000000000000026", false, false));
        ArrayNode account = json.createArrayNode();
        ObjectNode a = json.createObjectNode();
        a.put("endTime", "2024-01-05 10:00");
        a.put("artistName", "Artist Z");
        a.put("trackName", "Song Z");
        a.put("msPlayed", 200_000);
        account.add(a);
        try {
            Files.createDirectories(dir);
            Path e = dir.resolve("Streaming_History_Audio_2024.json");
            Path m = dir.resolve("StreamingHistory_music_0.json");
            json.writeValue(e.toFile(), extended);
            json.writeValue(m.toFile(), account);
            return java.util.List.of(e, m);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** One of each, for the words that must agree with a 1: one song of one minute, one episode of one minute. */
    static Path single(Path dir) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode rows = json.createArrayNode();
        rows.add(row(json, "2024-05-01T10:00:00Z", 60_000, "Only Song", "Only Artist", "Only Album",
                "spotify:track:0000000000000000000031", false, false));
        ObjectNode podcast = row(json, "2024-05-01T11:00:00Z", 60_000, null, null, null, null, false, false);
        podcast.put("episode_name", "Only Ep");
        podcast.put("episode_show_name", "Only Show");
        podcast.put("spotify_episode_uri", "spotify:episode:0000000000000000000032");
        rows.add(podcast);
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("Streaming_History_Audio_2024.json");
            json.writeValue(file.toFile(), rows);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode row(ObjectMapper json, String ts, int ms, String track, String artist, String album,
            String uri, boolean incognito, Boolean skipped) {
        ObjectNode r = json.createObjectNode();
        r.put("ts", ts);
        r.put("platform", "linux");
        r.put("ms_played", ms);
        r.put("conn_country", "DE");
        r.put("master_metadata_track_name", track);
        r.put("master_metadata_album_artist_name", artist);
        r.put("master_metadata_album_album_name", album);
        r.put("spotify_track_uri", uri);
        r.putNull("episode_name");
        r.putNull("episode_show_name");
        r.putNull("spotify_episode_uri");
        r.put("reason_start", "clickrow");
        r.put("reason_end", "trackdone");
        r.put("shuffle", false);
        if (skipped == null) {
            r.putNull("skipped");
        } else {
            r.put("skipped", skipped);
        }
        r.put("offline", false);
        r.putNull("offline_timestamp");
        r.put("incognito_mode", incognito);
        return r;
    }
}
