package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may see and change what, with sign-in required (docs/access.md), through the real HTTP servers. */
class AccessControlTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aStrangerIsSentToSignInAndTheApiRefusesThem(String kind) throws Exception {
        Visitor stranger = AccessFixture.on(kind).visitor();

        Visitor.Answer users = stranger.get("/api/users");
        assertThat(users.status()).isEqualTo(401);
        assertThat(users.json().path("error").asText()).contains("Sign in");
        assertThat(users.header("WWW-Authenticate")).startsWith("Bearer");
        // not a 404: a stranger learns nothing about which users exist
        assertThat(stranger.get("/api/users/ann/wrapped").status()).isEqualTo(401);
        assertThat(stranger.get("/api/users/nobody/wrapped").status()).isEqualTo(401);

        Visitor.Answer page = stranger.get("/?user=ann");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("/signin?next=%2F%3Fuser%3Dann");
        Visitor.Answer signin = stranger.get("/signin");
        assertThat(signin.body()).contains("<form");
        assertThat(signin.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(users.header("X-Frame-Options")).as("a refusal too").isEqualTo("DENY");
        assertThat(stranger.get("/style.css").status()).isEqualTo(200);
        assertThat(stranger.get("/connect?user=ann").status()).isEqualTo(302);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void signingInGivesAnHttpOnlySameSiteCookieAndSecureBehindTls(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor ann = f.visitor();
        Visitor.Answer in = ann.signIn("ann", AccessFixture.PASSWORD);

        assertThat(in.status()).isEqualTo(200);
        assertThat(in.header("Set-Cookie")).startsWith("encore_auth=").contains("HttpOnly", "SameSite=Lax", "Path=/")
                .doesNotContain("Secure");
        JsonNode me = ann.get("/api/me").json();
        assertThat(me.path("user").asText()).isEqualTo("ann");
        assertThat(me.path("admin").asBoolean()).isFalse();
        assertThat(me.path("access").asText()).isEqualTo("accounts");
        assertThat(me.path("csrf_token").asText()).hasSize(64);

        HttpResponse<String> proxied = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.baseUrl() + "/api/session"))
                .header("Content-Type", "application/json").header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ann\",\"password\":\"" + AccessFixture.PASSWORD + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aWrongPasswordOrAnUnknownNameIsOneAnswer(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor.Answer wrong = f.visitor().signIn("ann", "not the password");
        Visitor.Answer nobody = f.visitor().signIn("nobody-" + UUID.randomUUID(), "not the password");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(nobody.status()).isEqualTo(401);
        assertThat(nobody.body()).isEqualTo(wrong.body());
        f.clock.advance(Duration.ofMinutes(16)); // these failures count no more for the throttle
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aPersonSeesOnlyTheirOwnListeningAndAnotherUsersAddressIsA404(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor ann = f.signedIn("ann");

        assertThat(users(ann.get("/api/users").json())).containsExactly("ann");
        assertThat(ann.get("/api/users/ann/wrapped?period=all").json().path("user").asText()).isEqualTo("ann");

        Visitor.Answer bobs = ann.get("/api/users/bob/wrapped?period=all");
        Visitor.Answer nobodys = ann.get("/api/users/nobody/wrapped?period=all");
        assertThat(bobs.status()).isEqualTo(404);
        // word for word (but the name) what a user who does not exist gets: it confirms no one
        assertThat(bobs.body()).isEqualTo(nobodys.body().replace("nobody", "bob"));
        assertThat(bobs.header("Content-Type")).isEqualTo(nobodys.header("Content-Type"));
        // and what the API itself answers, to an admin, for a user who does not exist
        Visitor.Answer adminNobody = f.signedIn("admin").get("/api/users/nobody/wrapped?period=all");
        assertThat(adminNobody.status()).isEqualTo(404);
        assertThat(adminNobody.body()).isEqualTo(nobodys.body());
        assertThat(adminNobody.header("Content-Type")).isEqualTo(nobodys.header("Content-Type"));

        assertThat(ann.get("/api/users/bob/gaps").status()).isEqualTo(404);
        assertThat(ann.send("PUT", "/api/users/bob", "{\"time_zone\":\"Europe/Madrid\"}").status()).isEqualTo(404);
        assertThat(ann.send("DELETE", "/api/users/bob/connection", null).status()).isEqualTo(404);
        assertThat(f.db.count("SELECT COUNT(*) FROM app_user WHERE user_id = 'bob' AND time_zone = 'Europe/Madrid'")).isZero();
        assertThat(ann.get("/connect?user=bob").body()).contains("Not yours to connect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anAdminSeesEveryone(String kind) throws Exception {
        Visitor admin = AccessFixture.on(kind).signedIn("admin");

        // another site's page sending the admin's browser to connect their Spotify to someone else
        admin.site = "cross-site";
        Visitor.Answer forged = admin.get("/connect?user=ann");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("from another site");
        admin.site = "same-origin";
        assertThat(admin.get("/connect?user=ann").status()).isNotEqualTo(403);
        admin.site = null;

        assertThat(users(admin.get("/api/users").json())).contains("ann", "bob");
        assertThat(admin.get("/api/users/bob/wrapped?period=all").json().path("user").asText()).isEqualTo("bob");
        assertThat(admin.get("/api/me").json().path("admin").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aChangeWithoutThePagesCsrfTokenIsRefused(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor bob = f.signedIn("bob");

        Visitor.Answer forged = bob.send("PUT", "/api/users/bob", "{\"time_zone\":\"Asia/Tokyo\"}", false);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().path("error").asText()).contains("CSRF");
        assertThat(f.db.count("SELECT COUNT(*) FROM app_user WHERE user_id = 'bob' AND time_zone = 'Asia/Tokyo'")).isZero();
        Visitor.Answer wrongToken = bob.send("DELETE", "/api/session", null, false);
        assertThat(wrongToken.status()).isEqualTo(403);

        Visitor.Answer real = bob.send("PUT", "/api/users/bob", "{\"time_zone\":\"Asia/Tokyo\"}");
        assertThat(real.status()).isEqualTo(200);
        assertThat(f.db.count("SELECT COUNT(*) FROM app_user WHERE user_id = 'bob' AND time_zone = 'Asia/Tokyo'")).isOne();
        bob.send("PUT", "/api/users/bob", "{\"time_zone\":\"UTC\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anApiTokenOpensTheOwnersDataOnlyUntilRevokedAndIsStoredHashed(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor ann = f.signedIn("ann");
        Visitor.Answer made = ann.send("POST", "/api/tokens", "{\"label\":\"Power BI\"}");
        assertThat(made.status()).isEqualTo(201);
        String token = made.json().path("token").asText();
        String id = made.json().path("id").asText();
        assertThat(token).startsWith("enc_").hasSize(47);
        assertThat(ann.get("/api/tokens").body()).contains(id, "Power BI").doesNotContain(token);
        assertThat(f.db.count("SELECT COUNT(*) FROM api_token WHERE token_hash = ? OR token_id = ?", token, token)).isZero();

        Visitor script = f.visitor();
        script.bearer = token;
        assertThat(script.get("/api/users/ann/wrapped?period=all").status()).isEqualTo(200);
        assertThat(script.get("/api/users/bob/wrapped?period=all").status()).isEqualTo(404);
        // no CSRF token for a script: a bearer token is never sent by a browser on its own
        assertThat(script.send("PUT", "/api/users/ann", "{\"time_zone\":\"UTC\"}").status()).isEqualTo(200);

        assertThat(ann.send("DELETE", "/api/tokens/" + id, null).status()).isEqualTo(204);
        Visitor.Answer revoked = script.get("/api/users/ann/wrapped?period=all");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("error").asText()).contains("not valid");
        // one person cannot revoke another's token
        String bobs = f.signedIn("bob").send("POST", "/api/tokens", "{\"label\":\"script\"}").json().path("id").asText();
        assertThat(ann.send("DELETE", "/api/tokens/" + bobs, null).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void signingOutEndsTheSessionEverywhere(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor ann = f.signedIn("ann");
        String cookie = ann.cookie;

        Visitor.Answer out = ann.send("DELETE", "/api/session", null);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("encore_auth=;").contains("Max-Age=0");
        Visitor replay = f.visitor();
        replay.cookie = cookie;
        assertThat(replay.get("/api/users").status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aSessionEndsWhenUnusedForTooLong(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor ann = f.signedIn("ann");
        assertThat(ann.get("/api/me").status()).isEqualTo(200);

        f.clock.advance(Duration.ofDays(15)); // idle for longer than encore.auth.session-idle-hours (14 days)
        assertThat(ann.get("/api/me").status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNewPasswordSignsOutTheOtherBrowsers(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        String name = "pat-" + kind;
        f.accounts.create(name, "first password", false);
        Visitor laptop = f.signedIn(name, "first password");
        Visitor phone = f.signedIn(name, "first password");

        Visitor.Answer wrongCurrent = phone.send("PUT", "/api/accounts/" + name + "/password",
                "{\"current_password\":\"guess guess\",\"password\":\"second password\"}");
        assertThat(wrongCurrent.status()).isEqualTo(403);
        Visitor.Answer changed = phone.send("PUT", "/api/accounts/" + name + "/password",
                "{\"current_password\":\"first password\",\"password\":\"second password\"}");
        assertThat(changed.status()).isEqualTo(204);

        assertThat(laptop.get("/api/me").status()).isEqualTo(401);
        assertThat(f.visitor().signIn(name, "first password").status()).isEqualTo(401);
        assertThat(f.visitor().signIn(name, "second password").status()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(16));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void repeatedFailedSignInsMustWaitEvenWithTheRightPassword(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        f.clock.advance(Duration.ofMinutes(16)); // no failure of another test counts
        String name = "quinn-" + kind;
        f.accounts.create(name, "quinn's password", false);

        for (int i = 0; i < 5; i++) {
            assertThat(f.visitor().signIn(name, "guess " + i).status()).isEqualTo(401);
        }
        Visitor.Answer waiting = f.visitor().signIn(name, "quinn's password");
        assertThat(waiting.status()).isEqualTo(429);
        assertThat(Long.parseLong(waiting.header("Retry-After"))).isBetween(1L, 900L);
        assertThat(waiting.header("Set-Cookie")).isNull();

        f.clock.advance(Duration.ofMinutes(16));
        assertThat(f.visitor().signIn(name, "quinn's password").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void onlyAnAdminManagesAccounts(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        Visitor admin = f.signedIn("admin");
        String name = "cara-" + kind;

        assertThat(f.signedIn("ann").get("/api/accounts").status()).isEqualTo(403);
        assertThat(admin.send("POST", "/api/accounts", "{\"user\":\"" + name + "\",\"password\":\"short\"}").json()
                .path("error").asText()).contains("at least 8 characters");
        Visitor.Answer made = admin.send("POST", "/api/accounts", "{\"user\":\"" + name + "\",\"password\":\"cara's password\"}");
        assertThat(made.status()).isEqualTo(201);
        assertThat(made.body()).doesNotContain("password");
        assertThat(admin.send("POST", "/api/accounts", "{\"user\":\"" + name + "\",\"password\":\"cara's password\"}").status())
                .isEqualTo(400);
        assertThat(admin.get("/api/accounts").body()).contains(name).doesNotContain("pbkdf2");
        assertThat(f.visitor().signIn(name, "cara's password").status()).isEqualTo(200);

        assertThat(admin.send("DELETE", "/api/accounts/" + name, null).status()).isEqualTo(204);
        assertThat(f.visitor().signIn(name, "cara's password").status()).isEqualTo(401);
        assertThat(admin.send("DELETE", "/api/accounts/admin", null).status()).isEqualTo(409);
        f.clock.advance(Duration.ofMinutes(16));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void healthIsOpenButMetricsAndJolokiaNeedAnAdmin(String kind) throws Exception {
        AccessFixture f = AccessFixture.on(kind);
        // HTTP/1.1, as Prometheus and Hawtio's browser speak to it
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String adminToken = f.signedIn("admin").send("POST", "/api/tokens", "{\"label\":\"prometheus\"}").json().path("token").asText();

        // answered without credentials (UP, or DOWN while a consumer has not polled yet), never 401
        assertThat(status(http, f.managementUrl + "/observe/health", null)).isIn(200, 503);
        assertThat(status(http, f.managementUrl + "/observe/metrics", null)).isEqualTo(401);
        assertThat(status(http, f.managementUrl + "/observe/jolokia/version", null)).isEqualTo(401);
        assertThat(status(http, f.managementUrl + "/observe/metrics", basic("ann", AccessFixture.PASSWORD))).isEqualTo(401);
        assertThat(status(http, f.managementUrl + "/observe/metrics", basic("admin", "wrong password"))).isEqualTo(401);
        assertThat(status(http, f.managementUrl + "/observe/metrics", basic("admin", "admin password 1"))).isEqualTo(200);
        assertThat(status(http, f.managementUrl + "/observe/jolokia/version", basic("admin", "admin password 1"))).isEqualTo(200);
        assertThat(status(http, f.managementUrl + "/observe/metrics", "Bearer " + adminToken)).isEqualTo(200);
        assertThat(status(http, f.managementUrl + "/observe/jolokia/version", basic("admin", adminToken))).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(16));
    }

    private static int status(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> users(JsonNode answer) {
        List<String> names = new java.util.ArrayList<>();
        answer.path("users").forEach(u -> names.add(u.path("user").asText()));
        return names;
    }
}
