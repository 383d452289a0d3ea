package dev.encore.bench;

import dev.encore.EncoreApp;
import dev.encore.intake.Headers;
import dev.encore.spotify.FakeSpotify;
import dev.encore.spotify.EnrichmentStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Enrichment against the Spotify stub with a realistic per-call latency: calls made versus the
 * lower bound, and IDs described per second, in batch and single mode. A program, not a test.
 * Usage: bench/enrichment.sh [--tracks N] [--latency-ms L] [--single-tracks M]
 */
public final class EnrichmentBenchmark {
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("--tracks", "5000", "--latency-ms", "100", "--single-tracks", "300"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int latency = Integer.parseInt(o.get("--latency-ms"));
        System.out.printf("Enrichment benchmark: Spotify stub with %d ms latency per API call, H2 file database%n", latency);
        System.out.printf("%-8s %8s %8s %8s %8s %12s %10s %12s%n", "mode", "tracks", "albums", "artists", "calls",
                "lower bound", "seconds", "IDs/s");
        run("batch", Integer.parseInt(o.get("--tracks")), latency);
        run("single", Integer.parseInt(o.get("--single-tracks")), latency);
    }

    private static void run(String mode, int tracks, int latencyMs) throws Exception {
        Path dir = Files.createTempDirectory("encore-enrich-bench");
        int albums = (tracks + 9) / 10;
        int artists = albums + 1;
        try (FakeSpotify spotify = FakeSpotify.start().credentials("bench", "bench-secret")) {
            StringBuilder json = new StringBuilder("[");
            Instant t = Instant.parse("2024-01-01T00:00:00Z");
            for (int i = 0; i < tracks; i++) {
                String track = id("t", i);
                spotify.addAlbum(id("a", i / 10), "Album " + i / 10, "album", "2020", "year");
                spotify.addArtist(id("r", i / 10), "Artist " + i / 10, List.of("pop"));
                spotify.addTrack(track, "Track " + i, id("a", i / 10), List.of(id("r", i / 10), id("r", 999_999)), "USX" + i);
                json.append(i == 0 ? "" : ",").append("{\"ts\":\"").append(t.plusSeconds(180L * i))
                        .append("\",\"ms_played\":200000,\"ip_addr\":\"0.0.0.0\",\"master_metadata_track_name\":\"Track ")
                        .append(i).append("\",\"master_metadata_album_artist_name\":\"Artist ").append(i / 10)
                        .append("\",\"spotify_track_uri\":\"spotify:track:").append(track).append("\"}");
            }
            spotify.addArtist(id("r", 999_999), "Guest", List.of("pop"));
            Path file = Files.writeString(dir.resolve("Streaming_History_Audio_2024.json"), json.append("]"));
            spotify.latency(Duration.ofMillis(latencyMs));
            Map<String, String> p = new HashMap<>(Map.of("encore.local.enabled", "false", "encore.enrich.scheduled", "false",
                    "encore.musicbrainz.enabled", "false", "encore.spotify.client-id", "bench",
                    "encore.spotify.client-secret", "bench-secret", "encore.spotify.api-mode", mode));
            p.put("encore.spotify.api-base-url", spotify.baseUrl());
            p.put("encore.spotify.accounts-base-url", spotify.baseUrl());
            try (EncoreApp app = EncoreApp.start("jdbc:h2:file:" + dir.resolve("db"), "sa", p)) {
                app.camel().createProducerTemplate().request("direct:import-file", ex -> {
                    ex.getMessage().setBody(file.toFile());
                    ex.getMessage().setHeader(Headers.SOURCE_PATH, file.toString());
                    ex.getMessage().setHeader(Headers.USER, "bench");
                });
                long start = System.nanoTime();
                app.camel().createProducerTemplate().request("direct:enrich", ex -> { });
                double seconds = (System.nanoTime() - start) / 1e9;
                var summary = app.camel().getRegistry().lookupByNameAndType("enrichmentStats", EnrichmentStats.class).summary();
                int lowerBound = mode.equals("batch")
                        ? ceil(tracks, 50) + ceil(albums, 20) + ceil(artists, 50) : tracks + albums + artists;
                int described = (int) app.count("SELECT (SELECT COUNT(*) FROM track) + (SELECT COUNT(*) FROM album)"
                        + " + (SELECT COUNT(*) FROM artist)");
                System.out.printf("%-8s %8d %8d %8d %8d %12d %10.1f %12.0f%s%n", mode, tracks, albums, artists,
                        summary.totalCalls(), lowerBound, seconds, described / seconds,
                        described == tracks + albums + artists ? "" : "   !!!!! FAIL: described " + described);
            }
        }
    }

    private static int ceil(int n, int d) {
        return (n + d - 1) / d;
    }

    private static String id(String prefix, int n) {
        String s = prefix + n;
        return s + "x".repeat(22 - s.length()); // not "0": "t1" and "t10" would meet
    }
}
