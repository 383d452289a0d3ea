package dev.encore.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreApp;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jolokia on the management port, as Hawtio uses it: Encore's figures and the routes readable, the
 * route controls callable, and everything else that writes or executes refused by jolokia-access.xml.
 */
class JolokiaAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static TestDatabase db;
    private static EncoreApp app;
    private static String jolokia;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.h2();
        int management = EncoreApp.freePort();
        app = EncoreApp.start(db.url(), db.user(), Map.of("camel.management.enabled", "true",
                "camel.management.port", Integer.toString(management), "encore.local.enabled", "false"));
        jolokia = "http://127.0.0.1:" + management + "/observe/jolokia";
        ProducerTemplate producer = app.camel().createProducerTemplate();
        producer.sendBodyAndHeaders("direct:import-file", Samples.file("lshatkin", "endvideo.json").toFile(),
                Map.of("EncoreSourcePath", "endvideo.json", "EncoreSourceKind", "cli", "EncoreUser", "lena"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static JsonNode post(String request) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(jolokia + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Test
    void encoresFiguresAreJmxAttributesThatAgreeWithTheWarehouse() throws Exception {
        JsonNode answer = post("{\"type\":\"read\",\"mbean\":\"dev.encore:type=Status\"}");
        assertThat(answer.path("status").asInt()).isEqualTo(200);
        JsonNode value = answer.path("value");
        assertThat(value.path("Users").asLong()).isEqualTo(db.count("SELECT COUNT(*) FROM app_user")).isPositive();
        assertThat(value.path("FilesLoaded").asLong()).isEqualTo(db.count("SELECT COUNT(*) FROM import_run WHERE status = 'loaded'"));
        assertThat(value.path("RecordsLoaded").asLong()).isEqualTo(db.count("SELECT COUNT(*) FROM stream")).isPositive();
        assertThat(value.path("SpotifyPauseRemainingSeconds").asLong()).isZero();
        assertThat(value.path("ConnectedUsers").asLong())
                .isEqualTo(db.count("SELECT COUNT(*) FROM spotify_connection WHERE status = 'connected'"));
        assertThat(value.has("UsersNeedingReconnect")).isTrue();
        assertThat(value.path("OpenGaps").asLong()).isEqualTo(db.count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NULL"));
        // the curated zone's figures (it is switched off in this app: nothing written, nothing failing)
        assertThat(value.path("CuratedFilesWritten").asLong()).isZero();
        assertThat(value.has("CuratedPendingUsers")).isTrue();
        assertThat(value.path("CuratedError").isNull()).isTrue();
    }

    @Test
    void theRoutesCanBeListedReadAndReset() throws Exception {
        JsonNode search = post("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=routes,*\"}");
        assertThat(search.path("status").asInt()).isEqualTo(200);
        assertThat(search.path("value").toString()).contains("import-file", "enrichment-schedule");
        // this app's route (another app of the test JVM may hold the context name 'encore')
        String route = post("{\"type\":\"search\",\"mbean\":\"org.apache.camel:context=" + app.camel().getManagementName()
                + ",type=routes,name=\\\"import-file\\\"\"}").path("value").get(0).asText().replace("\"", "\\\"");
        JsonNode completed = post("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"ExchangesCompleted\"}");
        assertThat(completed.path("status").asInt()).isEqualTo(200);
        assertThat(completed.path("value").asLong()).isPositive();
        JsonNode dump = post("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\"}");
        assertThat(dump.path("status").asInt()).isEqualTo(200);
        assertThat(dump.path("value").asText()).contains("direct:import-file");
        JsonNode reset = post("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"reset()\"}");
        assertThat(reset.path("status").asInt()).isEqualTo(200);
    }

    @Test
    void writesAndOtherOperationsAreRefused() throws Exception {
        JsonNode gc = post("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc()\"}");
        assertThat(gc.path("status").asInt()).isEqualTo(403);
        JsonNode write = post("{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}");
        assertThat(write.path("status").asInt()).isEqualTo(403);
        JsonNode diagnostic = post("{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                + "\"operation\":\"vmSystemProperties()\"}");
        assertThat(diagnostic.path("status").asInt()).isEqualTo(403);
        JsonNode properties = post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}");
        assertThat(properties.path("status").asInt()).isEqualTo(403);
        // what is refused is refused as a whole, and the rest still answers
        JsonNode uptime = post("{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"Uptime\"}");
        assertThat(uptime.path("status").asInt()).isEqualTo(200);
    }
}
