package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * The secrets of signing in, as canaries: passwords (the admin's from the environment, a person's,
 * a mistyped one), the session cookie and an API token. Used the way people use them, at DEBUG,
 * failures included, and not one of them in a log line, in an answer that is not the one meant to
 * carry it, or in the database as itself.
 */
class AccessSecretsTest {

    @Test
    void noPasswordCookieOrTokenIsLoggedAnsweredOrStored() throws Exception {
        String adminPassword = "canary-admin-password-51c9";
        String annPassword = "canary-ann-password-e2d4";
        String mistyped = "canary-mistyped-password-07aa";
        String newPassword = "canary-new-password-9f31";
        List<String> answers = new ArrayList<>();
        String cookie;
        String token;
        String log;
        TestDatabases.TestDatabase db = TestDatabases.h2();
        int management = EncoreApp.freePort();
        try (LogCapture capture = LogCapture.openAt(Level.DEBUG);
                EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.auth.required", "true",
                        "encore.auth.password-iterations", "1000", "encore.auth.admin-password", adminPassword,
                        "camel.management.enabled", "true", "camel.management.port", Integer.toString(management),
                        "encore.local.enabled", "false", "encore.enrich.scheduled", "false"))) {
            Visitor admin = new Visitor(app.baseUrl());
            answers.add(admin.signIn("admin", adminPassword).body());
            answers.add(admin.send("POST", "/api/accounts", "{\"user\":\"ann\",\"password\":\"" + annPassword + "\"}").body());
            Visitor ann = new Visitor(app.baseUrl());
            answers.add(ann.signIn("ann", mistyped).body());
            answers.add(ann.signIn("ann", annPassword).body());
            cookie = ann.cookie.substring(ann.cookie.indexOf('=') + 1);
            Visitor.Answer made = ann.send("POST", "/api/tokens", "{\"label\":\"canary\"}");
            token = made.json().path("token").asText();
            answers.add(ann.get("/api/tokens").body());
            answers.add(ann.send("PUT", "/api/accounts/ann/password",
                    "{\"current_password\":\"" + mistyped + "\",\"password\":\"" + newPassword + "\"}").body());
            answers.add(ann.send("PUT", "/api/accounts/ann/password",
                    "{\"current_password\":\"" + annPassword + "\",\"password\":\"" + newPassword + "\"}").body());
            Visitor script = new Visitor(app.baseUrl());
            script.bearer = token;
            answers.add(script.get("/api/users").body());
            answers.add(script.get("/api/users/bob/wrapped").body());
            script.bearer = token + "x";
            answers.add(script.get("/api/users").body());
            Visitor replay = new Visitor(app.baseUrl());
            replay.cookie = "encore_auth=" + cookie;
            answers.add(replay.get("/api/users").body());
            answers.add(replay.send("PUT", "/api/users/ann", "{\"time_zone\":\"UTC\"}", false).body());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String authorization : List.of("Bearer " + token, basic("admin", adminPassword), basic("admin", mistyped))) {
                answers.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/metrics"))
                        .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            }
            log = capture.text();
        }
        List<String> secrets = List.of(adminPassword, annPassword, mistyped, newPassword, cookie, token);
        assertThat(log.lines().count()).as("DEBUG lines were captured").isGreaterThan(100);
        assertThat(log).contains("ann signed in", "Failed sign-in");
        for (String secret : secrets) {
            assertThat(log).as("the log").doesNotContain(secret);
            assertThat(answers).as("the answers").noneMatch(a -> a.contains(secret));
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("account", "web_session", "api_token")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            String value = String.valueOf(rs.getObject(i));
                            assertThat(secrets).as(table + " holds a secret as itself").noneMatch(value::contains);
                        }
                    }
                }
            }
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
