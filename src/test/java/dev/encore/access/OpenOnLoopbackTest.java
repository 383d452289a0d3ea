package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default on loopback: open for the one person at the machine, saying so at start,
 * with nothing to sign in to and no tokens to make.
 */
class OpenOnLoopbackTest {

    @Test
    void onLoopbackEveryRequestIsTheLocalUsersAndTheStartSaysSo() throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.h2();
        String log;
        int management = EncoreApp.freePort();
        try (LogCapture capture = LogCapture.open();
                EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.local.enabled", "false",
                        "encore.enrich.scheduled", "false", "camel.management.enabled", "true",
                        "camel.management.port", Integer.toString(management)))) {
            Visitor local = new Visitor(app.baseUrl());
            Visitor.Answer me = local.get("/api/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("access").asText()).isEqualTo("open");
            assertThat(me.json().path("admin").asBoolean()).isTrue();
            assertThat(me.json().path("user").isNull()).isTrue();
            assertThat(local.get("/api/users").status()).isEqualTo(200);
            Visitor.Answer page = local.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

            Visitor.Answer signIn = local.signIn("anyone", "any password");
            assertThat(signIn.status()).isEqualTo(409);
            assertThat(signIn.json().path("error").asText()).contains("Sign-in is off");
            assertThat(local.send("POST", "/api/tokens", "{\"label\":\"x\"}").status()).isEqualTo(409);

            // a page elsewhere whose name now points at 127.0.0.1 (DNS rebinding) sends its own Host
            if (new java.io.File("/usr/bin/curl").canExecute()) {
                assertThat(curlStatus(app.baseUrl() + "/api/users", "evil.example")).isEqualTo("421");
                assertThat(curlStatus(app.baseUrl() + "/api/users", "localhost:1234")).isEqualTo("200");
                assertThat(curlStatus("http://127.0.0.1:" + management + "/observe/jolokia/version", "evil.example:" + management))
                        .isEqualTo("421");
                assertThat(curlStatus("http://127.0.0.1:" + management + "/observe/jolokia/version", null)).isEqualTo("200");
            } else {
                assertThat(System.getenv("CI")).as("CI must have curl").isNotEqualTo("true");
            }
            log = capture.text();
        }
        assertThat(log).contains("Sign-in is off: both servers listen on loopback only");
    }

    /** curl's status for a GET with this Host header (Java's client may not set one). */
    private static String curlStatus(String url, String host) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("/usr/bin/curl", "-s", "-o", "/dev/null",
                "-w", "%{http_code}"));
        if (host != null) {
            command.addAll(java.util.List.of("-H", "Host: " + host));
        }
        command.add(url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
