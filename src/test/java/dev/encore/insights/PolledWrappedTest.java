package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.EncoreApp;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.insights.ListeningOracle.Polled;
import dev.encore.intake.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wrapped over polled and exported plays of one person, loaded in either order, equals what
 * {@link ListeningOracle} works out from the raw export JSON and the polled plays: a polled play
 * the export also holds counts once (the export's), one it does not counts with its track's length.
 */
class PolledWrappedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FETCHED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, polled first", "postgresql, exported first", "postgresql, polled first"})
    void wrappedCountsEveryPlayOnce(String kind, String order) throws Exception {
        Path export = Samples.file("efrrowini", "Streaming_History_Audio_2024.json");
        JsonNode records = JSON.readTree(export.toFile());
        List<Polled> polled = new ArrayList<>();
        Instant last = Instant.EPOCH;
        int n = 0;
        for (JsonNode r : records) {
            Instant end = Instant.parse(r.get("ts").asText());
            last = end.isAfter(last) ? end : last;
            if (r.path("spotify_track_uri").isTextual() && r.path("ms_played").asInt() >= 30_000 && n++ % 5 == 0) {
                int ms = r.get("ms_played").asInt();
                // Spotify's played_at: the start of the play one time, its end the next
                Instant playedAt = n % 2 == 0 ? end.minusMillis(ms) : end;
                polled.add(polled(r, playedAt, ms + 1_500));
            }
        }
        assertThat(polled).as("the sample must give polled plays for the test to mean anything").hasSizeGreaterThan(20);
        // and plays after the export was made, which only the Web API knows of, every 4 minutes
        List<Polled> later = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            JsonNode r = records.get(i % records.size());
            if (r.path("spotify_track_uri").isTextual()) {
                later.add(polled(r, last.plusSeconds(86_400 + 240L * i), 180_000 + i));
            }
        }
        polled.addAll(later);

        TestDatabase db = TestDatabases.create(kind);
        try (db; EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.local.enabled", "false",
                "encore.raw.local-enabled", "false", "encore.enrich.scheduled", "false", "encore.default-time-zone", "UTC"))) {
            if (order.equals("exported first")) {
                load(app, "direct:import-file", export.toFile(), "ana/" + export.getFileName(), "cli");
            }
            for (Path page : pages(polled)) {
                load(app, "direct:raw-file", page.toFile(), tmp.relativize(page).toString(), "local");
            }
            if (order.equals("polled first")) {
                load(app, "direct:import-file", export.toFile(), "ana/" + export.getFileName(), "cli");
            }
            assertThat(app.count("SELECT COUNT(*) FROM import_run WHERE status <> 'loaded'")).isZero();

            ListeningOracle oracle = ListeningOracle.read(List.of(export)).withPolled(polled);
            ZoneId zone = ZoneId.of("Europe/Madrid");
            LocalDate from = LocalDate.of(2024, 1, 1);
            LocalDate to = LocalDate.ofInstant(last, zone).plusDays(3);
            JsonNode w = get(app, "/api/users/ana/wrapped?from=" + from + "&to=" + to + "&tz=" + zone + "&limit=20");

            ListeningOracle.Totals expected = oracle.totals(from, to, zone);
            ListeningOracle.Totals exportOnly = ListeningOracle.read(List.of(export)).totals(from, to, zone);
            assertThat(expected.streams()).as("the polled plays after the export count").isEqualTo(exportOnly.streams() + later.size());
            WrappedApiTest.assertTotals(w.path("totals"), expected);
            Map<String, Long> days = new LinkedHashMap<>();
            w.path("by_day").forEach(d -> days.put(d.path("date").asText(), d.path("ms_played").asLong()));
            assertThat(days).containsExactlyEntriesOf(oracle.msByDay(from, to, zone));
            JsonNode byPlays = get(app, "/api/users/ana/wrapped?from=" + from + "&to=" + to + "&tz=" + zone + "&limit=20&rank=plays");
            assertThat(WrappedApiTest.top(byPlays.path("top_tracks"), true))
                    .containsExactlyElementsOf(WrappedApiTest.expectedTop(oracle.topTracks(from, to, zone, true, 20), true));
            assertThat(WrappedApiTest.top(w.path("top_artists"), false))
                    .containsExactlyElementsOf(WrappedApiTest.expectedTop(oracle.topArtists(from, to, zone, false, 20), false));
            assertThat(w.path("new_artists").path("count").asInt()).isEqualTo(oracle.newArtists(from, to, zone));
            assertThat(app.count("SELECT COUNT(*) FROM stream WHERE source = 'api' AND ms_played_estimated = TRUE"))
                    .isEqualTo(later.size());
        }
    }

    private static Polled polled(JsonNode r, Instant playedAt, int durationMs) {
        return new Polled(playedAt, r.get("spotify_track_uri").asText(), r.path("master_metadata_album_artist_name").asText(null),
                r.path("master_metadata_track_name").asText(null), r.path("master_metadata_album_album_name").asText(null),
                durationMs);
    }

    /** The polled plays as recently-played answers of up to 50 plays each, in the raw zone's layout. */
    private List<Path> pages(List<Polled> polled) throws Exception {
        List<Polled> sorted = new ArrayList<>(polled);
        sorted.sort(java.util.Comparator.comparing(Polled::playedAt));
        List<Path> files = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += 50) {
            List<Polled> page = sorted.subList(from, Math.min(sorted.size(), from + 50));
            Instant fetched = page.get(page.size() - 1).playedAt().plusSeconds(600);
            ObjectNode body = JSON.createObjectNode();
            ArrayNode items = body.putArray("items");
            for (int i = page.size() - 1; i >= 0; i--) {
                Polled p = page.get(i);
                ObjectNode item = items.addObject();
                ObjectNode track = item.putObject("track");
                track.putObject("album").put("name", p.album()).put("type", "album");
                track.putArray("artists").addObject().put("name", p.artist()).put("type", "artist");
                track.put("duration_ms", p.durationMs());
                track.put("id", p.uri().substring(p.uri().lastIndexOf(':') + 1));
                track.put("name", p.track());
                track.put("type", "track");
                track.put("uri", p.uri());
                item.put("played_at", p.playedAt().toString());
                item.putNull("context");
            }
            body.put("next", (String) null);
            body.putObject("cursors").put("after", Long.toString(page.get(page.size() - 1).playedAt().toEpochMilli()))
                    .put("before", Long.toString(page.get(0).playedAt().toEpochMilli()));
            body.put("limit", 50);
            body.put("href", "https://api.spotify.com/v1/me/player/recently-played?limit=50");
            Path file = tmp.resolve("raw/spotify/recently-played/ana/" + FOLDER.format(fetched) + "/" + FETCHED.format(fetched) + ".json");
            Files.createDirectories(file.getParent());
            Files.write(file, JSON.writeValueAsBytes(body));
            files.add(file);
        }
        return files;
    }

    private static void load(EncoreApp app, String route, java.io.File file, String path, String sourceKind) {
        app.camel().createProducerTemplate().sendBodyAndHeaders(route, file, Map.of(
                Headers.SOURCE_PATH, path, Headers.SOURCE_KIND, sourceKind, Headers.USER, "ana"));
    }

    private static JsonNode get(EncoreApp app, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
