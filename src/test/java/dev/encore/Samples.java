package dev.encore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real, sanitized Spotify exports in {@code ../shared/samples/real/} (see SOURCES.md there). */
public final class Samples {
    private Samples() {
    }

    public static Path dir() {
        Path dir = Path.of(System.getProperty("encore.samples.dir", "../shared/samples/real"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("The real sample exports are missing: expected them in " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static Path file(String person, String name) {
        return dir().resolve(person).resolve(name);
    }

    /**
     * How many distinct plays an extended-history file holds: rows with the same end time,
     * duration, creator and title are one play. Computed from the raw JSON, independently of Encore.
     */
    public static long distinctExtendedPlays(Path file) throws IOException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode r : new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile())) {
            keys.add(r.get("ts").asText() + "|" + r.get("ms_played").asInt() + "|" + norm(r, "master_metadata_album_artist_name")
                    + "|" + norm(r, "master_metadata_track_name") + "|" + norm(r, "episode_show_name") + "|" + norm(r, "episode_name"));
        }
        return keys.size();
    }

    private static String norm(com.fasterxml.jackson.databind.JsonNode r, String key) {
        com.fasterxml.jackson.databind.JsonNode n = r.get(key);
        return n == null || n.isNull() ? "" : n.asText().trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Every JSON file of every person, in a stable order. */
    public static List<Path> allJsonFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dir())) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
