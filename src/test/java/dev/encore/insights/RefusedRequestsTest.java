package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests the HTTP server refuses before any route runs (issue 12, item 8): each is answered with
 * its 4xx and a body that says what is wrong (JSON under /api), and none is logged at WARN or
 * above, so a flood of them cannot fill the log. Sent over a raw socket, byte for byte, since
 * Java's HTTP client will not send a malformed escape.
 */
class RefusedRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static EncoreApp app;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.create("h2");
        app = EncoreApp.start(db.url(), db.user(), Map.of("encore.local.enabled", "false",
                "encore.enrich.scheduled", "false"));
        port = Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stop() {
        app.close();
        db.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GET /api/users/%zz/wrapped              | 400 | two hexadecimal digits",
            "GET /api/users?x=%zz                     | 400 | two hexadecimal digits",
            "GET /api/users/erin/wrapped?from=%zz     | 400 | two hexadecimal digits",
            "GET /api/users/erin/wrapped?tz=Europe%2  | 400 | two hexadecimal digits",
    })
    @DisplayName("A malformed escape in an API address is a 400 that says so, in JSON, and no WARN or ERROR")
    void aMalformedEscapeIsABadRequest(String requestLine, int status, String message) throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send(requestLine + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(status);
            assertThat(answer.header("content-type")).startsWith("application/json");
            assertThat(answer.json().path("error").asText()).contains(message);
            assertThat(log.text()).as("nothing at WARN or ERROR").isEmpty();
        }
    }

    @Test
    void aMalformedEscapeInADashboardAddressIsA400InPlainText() throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.header("content-type")).startsWith("text/plain");
            assertThat(answer.body()).contains("two hexadecimal digits");
            assertThat(log.text()).isEmpty();
        }
    }

    @Test
    void aBodyLargerThanTheServerTakesIsA413ThatSaysTheLimit() throws Exception {
        String body = "{\"time_zone\": \"" + "x".repeat(100_000) + "\"}";
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send("PUT /api/users/erin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.json().path("error").asText()).contains("larger than the 65536 bytes");
            assertThat(log.text()).isEmpty();
        }
    }

    @Test
    void anAddressLongerThanTheServerReadsIsA414() throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send("GET /api/users/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(414);
            assertThat(log.text()).isEmpty();
        }
    }

    @Test
    void headersLargerThanTheServerReadsAreA431() throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(10_000)
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(431);
            assertThat(log.text()).isEmpty();
        }
    }

    @Test
    void anApiRequestThatAcceptsNoJsonIsA406ThatSaysWhatToAccept() throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.WARN)) {
            Raw answer = send("GET /api/users HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(406);
            assertThat(answer.json().path("error").asText()).contains("Accept: application/json");
            assertThat(log.text()).isEmpty();
        }
    }

    @Test
    @DisplayName("A PUT whose body is not declared JSON is a 415 that says what to send (issue 12, item 13)")
    void aPutWithoutJsonContentTypeIsA415ThatSaysWhatToSend() throws Exception {
        String body = "{\"time_zone\": \"UTC\"}";
        for (String contentType : new String[] {"", "Content-Type: text/plain\r\n"}) {
            try (LogCapture log = LogCapture.openAt(Level.WARN)) {
                Raw answer = send("PUT /api/users/erin HTTP/1.1\r\nHost: localhost\r\n" + contentType
                        + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
                assertThat(answer.status()).as(contentType).isEqualTo(415);
                assertThat(answer.header("content-type")).startsWith("application/json");
                assertThat(answer.json().path("error").asText()).contains("Content-Type: application/json")
                        .contains("{\"time_zone\": \"Europe/Madrid\"}");
                assertThat(log.text()).isEmpty();
            }
        }
    }

    @Test
    void aRefusalIsLoggedAtDebugForWhoeverLooks() throws Exception {
        try (LogCapture log = LogCapture.openAt(Level.DEBUG)) {
            assertThat(send("GET /api/users/%zz/wrapped HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status())
                    .isEqualTo(400);
            assertThat(log.text()).contains("Refused GET /api/users/%zz/wrapped with 400")
                    .doesNotContain("Unhandled exception in router");
        }
    }

    @Test
    void aRequestThatIsFineIsStillAnswered() throws Exception {
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.baseUrl() + "/api/users?x=%25zz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).has("users")).isTrue();
    }

    record Raw(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** Writes the request as given and reads the whole answer (the server closes the connection). */
    private static Raw send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            String[] head = answer.substring(0, end).split("\r\n");
            Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(), head[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(head[0].split(" ")[1]), headers, answer.substring(end + 4));
        }
    }
}
