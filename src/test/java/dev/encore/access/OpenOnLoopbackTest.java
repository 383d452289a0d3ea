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
        try (LogCapture capture = LogCapture.open();
                EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.local.enabled", "false",
                        "encore.enrich.scheduled", "false"))) {
            Visitor local = new Visitor(app.baseUrl());
            Visitor.Answer me = local.get("/api/me");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("access").asText()).isEqualTo("open");
            assertThat(me.json().path("admin").asBoolean()).isTrue();
            assertThat(me.json().path("user").isNull()).isTrue();
            assertThat(local.get("/api/users").status()).isEqualTo(200);
            assertThat(local.get("/").status()).isEqualTo(200);

            Visitor.Answer signIn = local.signIn("anyone", "any password");
            assertThat(signIn.status()).isEqualTo(409);
            assertThat(signIn.json().path("error").asText()).contains("Sign-in is off");
            assertThat(local.send("POST", "/api/tokens", "{\"label\":\"x\"}").status()).isEqualTo(409);
            log = capture.text();
        }
        assertThat(log).contains("Sign-in is off: both servers listen on loopback only");
    }
}
