package dev.encore.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreApp;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.intake.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real application serving real sample exports over HTTP, one per database kind, shared by
 * the insights tests of a run (starting it and loading the samples is the slow part).
 */
final class InsightsFixture {
    private static final Map<String, InsightsFixture> RUNNING = new HashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Users and the sample folders (or files) their data comes from. */
    static final Map<String, List<Path>> USERS = new LinkedHashMap<>();

    static {
        USERS.put("erin", files(Samples.dir().resolve("hobbies-w-erin"), "StreamingHistory_"));
        USERS.put("efr", files(Samples.dir().resolve("efrrowini"), "Streaming_History_"));
        USERS.put("lena", List.of(Samples.file("lshatkin", "endsong_2.json")));
        USERS.put("cee", List.of(Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json")));
        USERS.put("priv", List.of(PrivateSessionExport.write(Path.of("target", "insights-fixture", "priv"))));
    }

    final TestDatabase db;
    final EncoreApp app;
    final String baseUrl;

    private InsightsFixture(TestDatabase db, EncoreApp app, String baseUrl) {
        this.db = db;
        this.app = app;
        this.baseUrl = baseUrl;
    }

    static synchronized InsightsFixture on(String kind) throws Exception {
        InsightsFixture running = RUNNING.get(kind);
        if (running == null) {
            running = start(kind);
            RUNNING.put(kind, running);
            InsightsFixture stopping = running;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.app.close();
                stopping.db.close();
            }));
        }
        return running;
    }

    private static InsightsFixture start(String kind) throws Exception {
        TestDatabase db = TestDatabases.create(kind);
        int port = EncoreApp.freePort();
        EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of(
                "camel.server.port", Integer.toString(port),
                "encore.local.enabled", "false",
                "encore.enrich.scheduled", "false",
                "encore.default-time-zone", "UTC"));
        InsightsFixture fixture = new InsightsFixture(db, app, "http://127.0.0.1:" + port);
        USERS.forEach((user, files) -> files.forEach(file -> fixture.load(user, file)));
        return fixture;
    }

    /** Loads a file for the user through the import route, as the inbox and the lake do. */
    void load(String user, Path file) {
        app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file", file.toFile(), Map.of(
                Headers.SOURCE_PATH, file.getFileName().toString(),
                Headers.SOURCE_KIND, "cli",
                Headers.USER, user));
    }

    /** The answer to a GET, with its status. */
    record Answer(int status, JsonNode body) {
    }

    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build());
    }

    Answer put(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    /** GET that must succeed. */
    JsonNode ok(String pathAndQuery) throws IOException, InterruptedException {
        Answer a = get(pathAndQuery);
        if (a.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    ListeningOracle oracle(String user) throws IOException {
        return ListeningOracle.read(USERS.get(user));
    }

    private static List<Path> files(Path dir, String prefix) {
        try (Stream<Path> list = Files.list(dir)) {
            return new ArrayList<>(list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
