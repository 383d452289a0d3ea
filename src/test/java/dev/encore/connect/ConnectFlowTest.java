package dev.encore.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.LogCapture;
import dev.encore.connect.ConnectFixture.Browser;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connect flow over real HTTP against the real app and the fake accounts service: the
 * authorize request, and every way a callback can go wrong, each with its own page and nothing
 * stored. (The happy path in a real browser: {@link ConnectBrowserTest}.)
 */
class ConnectFlowTest {
    private static ConnectFixture h2;

    @BeforeAll
    static void start() throws Exception {
        h2 = ConnectFixture.on("h2");
    }

    @AfterAll
    static void stop() {
        h2.close();
    }

    @Test
    @DisplayName("/connect sends the browser to /authorize with PKCE S256, a fresh state, the five scopes and a "
            + "session cookie that is HttpOnly and SameSite=Lax; only hashes of state and cookie are stored")
    void theAuthorizeRequest() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> r = b.get(h2.baseUrl() + "/connect?user=nina");
        assertThat(r.statusCode()).isEqualTo(302);
        URI authorize = URI.create(Browser.location(r));
        assertThat(authorize.toString()).startsWith(h2.fake.baseUrl() + "/authorize?");
        Map<String, String> q = query(authorize);
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "fake-client-id")
                .containsEntry("redirect_uri", h2.redirectUri()).containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "user-read-recently-played user-top-read playlist-read-private "
                        + "playlist-read-collaborative user-library-read");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        // at least 128 random bits: 32 bytes in base64url
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).matches("encore_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");

        String stored = h2.tableText("spotify_authorization");
        String session = b.cookies.values().iterator().next().get("encore_session");
        assertThat(stored).contains(sha256Hex(q.get("state"))).contains(sha256Hex(session))
                .doesNotContain(q.get("state")).doesNotContain(session).contains("CODE_VERIFIER=v1:");

        // a second connect from the same browser keeps its cookie, and gets another state
        HttpResponse<String> again = b.get(h2.baseUrl() + "/connect?user=nina");
        assertThat(again.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(query(URI.create(Browser.location(again))).get("state")).isNotEqualTo(q.get("state"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("A first connect stores the account with its refresh token encrypted, on H2 and PostgreSQL")
    void aFirstConnectStoresTheAccount(String kind) throws Exception {
        try (ConnectFixture f = kind.equals("h2") ? null : ConnectFixture.on(kind); LogCapture logs = LogCapture.open()) {
            ConnectFixture on = f == null ? h2 : f;
            String user = "first-" + kind;
            HttpResponse<String> page = new Browser().follow(on.baseUrl() + "/connect?user=" + user);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Connected Spotify account <strong>Erin &lt;b&gt;Ek&lt;/b&gt; &amp; co</strong> "
                    + "(31erinek) to Encore user <strong>" + user + "</strong>");
            var row = on.connectionRow(user).orElseThrow();
            assertThat(row.get("status")).isEqualTo("connected");
            assertThat(row.get("spotify_display_name")).isEqualTo(ConnectFixture.DISPLAY_NAME);
            assertThat(row.get("scopes").split(" ")).containsExactlyInAnyOrder("user-read-recently-played",
                    "user-top-read", "playlist-read-private", "playlist-read-collaborative", "user-library-read");
            assertThat(row.get("refresh_token")).startsWith("v1:");
            String refreshToken = on.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER).get(
                    on.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER).size() - 1);
            assertThat(on.tableText("spotify_connection")).doesNotContain(refreshToken);
            assertThat(on.users().toString()).doesNotContain(refreshToken).doesNotContain(row.get("refresh_token"))
                    .contains("\"status\":\"connected\"");
            assertThat(logs.text()).doesNotContain(refreshToken);
            assertThat(on.count("SELECT COUNT(*) FROM app_user WHERE user_id = ?", user)).isEqualTo(1);
            // the access token it got with the code is cached: the first bearer needs no refresh
            int before = on.fake.tokenRequests("refresh_token");
            assertThat(on.tokens().bearer(user)).startsWith("Bearer BQ");
            assertThat(on.fake.tokenRequests("refresh_token")).isEqualTo(before);
        }
    }

    @Test
    @DisplayName("A state Encore never issued: a clear 400 page, nothing stored")
    void aWrongState() throws Exception {
        Browser b = new Browser();
        String authorize = Browser.location(b.get(h2.baseUrl() + "/connect?user=wrongstate"));
        String callback = Browser.location(b.get(authorize));
        String forged = callback.replaceAll("state=[^&]+", "state=" + "A".repeat(43));
        HttpResponse<String> page = b.get(forged);
        assertFailurePage(page, 400, "Unknown connect request");
        assertNothingStored("wrongstate");
        HttpResponse<String> none = b.get(callback.replaceAll("&state=[^&]+", ""));
        assertFailurePage(none, 400, "This is not an answer to a connect request");
        assertNothingStored("wrongstate");
    }

    @Test
    @DisplayName("A replayed callback fails with its own page; the code is exchanged once")
    void aReplayedState() throws Exception {
        Browser b = new Browser();
        String callback = b.callbackFor(h2.baseUrl() + "/connect?user=replay");
        int exchanges = h2.fake.tokenRequests("authorization_code");
        assertThat(b.get(callback).statusCode()).isEqualTo(200);
        String stored = h2.connectionRow("replay").orElseThrow().get("refresh_token");
        HttpResponse<String> replay = b.get(callback);
        assertFailurePage(replay, 400, "This connect request was already used");
        assertThat(h2.fake.tokenRequests("authorization_code")).isEqualTo(exchanges + 1);
        assertThat(h2.connectionRow("replay").orElseThrow().get("refresh_token")).isEqualTo(stored);
    }

    @Test
    @DisplayName("A callback in another browser (or with a forged cookie parameter or header) fails; the real one still works")
    void anotherBrowsersCookie() throws Exception {
        Browser mine = new Browser();
        String callback = mine.callbackFor(h2.baseUrl() + "/connect?user=twobrowsers");
        String myCookie = mine.cookies.values().iterator().next().get("encore_session");

        Browser other = new Browser();
        other.get(h2.baseUrl() + "/connect?user=twobrowsers"); // has a session cookie of its own
        assertFailurePage(other.get(callback), 400, "This connect request belongs to another browser");
        assertFailurePage(new Browser().get(callback), 400, "This connect request belongs to another browser");
        // the session comes from the Cookie header only: not from a parameter or a header of the same name
        assertFailurePage(new Browser().get(callback + "&EncoreSessionCookie=" + myCookie), 400, "another browser");
        HttpResponse<String> header = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(callback))
                .header("EncoreSessionCookie", myCookie).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertFailurePage(header, 400, "another browser");
        assertNothingStored("twobrowsers");

        assertThat(mine.get(callback).statusCode()).isEqualTo(200);
        assertThat(h2.connectionRow("twobrowsers")).isPresent();
    }

    @Test
    @DisplayName("A callback more than 10 minutes after /connect (Encore's clock) fails as expired")
    void anExpiredState() throws Exception {
        Browser b = new Browser();
        String callback = b.callbackFor(h2.baseUrl() + "/connect?user=slow");
        int exchanges = h2.fake.tokenRequests("authorization_code");
        h2.clock.advance(Duration.ofMinutes(10));
        try {
            assertFailurePage(b.get(callback), 400, "This connect request expired");
        } finally {
            h2.clock.advance(Duration.ofMinutes(-10));
        }
        assertThat(h2.fake.tokenRequests("authorization_code")).as("the code is not exchanged").isEqualTo(exchanges);
        assertNothingStored("slow");
    }

    @Test
    @DisplayName("A declined consent (error=access_denied): a 403 page saying so, nothing stored, no code exchange")
    void accessDenied() throws Exception {
        h2.fake.consent(false);
        try {
            int exchanges = h2.fake.tokenRequests("authorization_code");
            HttpResponse<String> page = new Browser().follow(h2.baseUrl() + "/connect?user=declines");
            assertFailurePage(page, 403, "Spotify access was not granted");
            assertThat(page.body()).contains("declined");
            assertThat(h2.fake.tokenRequests("authorization_code")).isEqualTo(exchanges);
            assertNothingStored("declines");
        } finally {
            h2.fake.consent(true);
        }
    }

    @Test
    @DisplayName("Another error from Spotify is shown escaped: no script through error_description")
    void anotherErrorIsEscaped() throws Exception {
        Browser b = new Browser();
        String authorize = Browser.location(b.get(h2.baseUrl() + "/connect?user=xss"));
        String state = query(URI.create(authorize)).get("state");
        HttpResponse<String> page = b.get(h2.redirectUri() + "?error=server_error&error_description="
                + URLEncoder.encode("<script>alert('x')</script>", StandardCharsets.UTF_8) + "&state=" + state);
        assertFailurePage(page, 400, "Spotify refused the connect request");
        assertThat(page.body()).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertNothingStored("xss");
    }

    @Test
    @DisplayName("An invalid user name is refused with an escaped page before anything is asked of Spotify")
    void anInvalidUserName() throws Exception {
        HttpResponse<String> page = new Browser().get(h2.baseUrl() + "/connect?user="
                + URLEncoder.encode("<img src=x onerror=alert(1)>", StandardCharsets.UTF_8));
        assertFailurePage(page, 400, "Not an Encore user name");
        assertThat(page.body()).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertFailurePage(new Browser().get(h2.baseUrl() + "/connect"), 400, "Not an Encore user name");
    }

    @Test
    @DisplayName("An expired authorization code (Spotify's clock) gets its own page, nothing stored")
    void anExpiredCode() throws Exception {
        Browser b = new Browser();
        String callback = b.callbackFor(h2.baseUrl() + "/connect?user=latecode");
        h2.fake.advanceTime(Duration.ofMinutes(11));
        HttpResponse<String> page = b.get(callback);
        assertFailurePage(page, 400, "The authorization code is no longer valid");
        assertThat(page.body()).contains("Authorization code expired");
        assertNothingStored("latecode");
    }

    @Test
    @DisplayName("Spotify failing or unreachable at the code exchange: a 502 page, and neither code nor token in any log line")
    void spotifyFailingAtTheExchange() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2"); LogCapture logs = LogCapture.open()) {
            Browser b = new Browser();
            String callback = b.callbackFor(f.baseUrl() + "/connect?user=outage");
            f.fake.failNext("POST /api/token", 1, 500, Map.of(), null);
            HttpResponse<String> failed = b.get(callback);
            assertThat(failed.statusCode()).isEqualTo(502);
            assertThat(failed.body()).contains("Spotify did not hand over the access").contains("HTTP 500");

            String second = b.callbackFor(f.baseUrl() + "/connect?user=outage");
            f.fake.close();
            HttpResponse<String> unreachable = b.get(second);
            assertThat(unreachable.statusCode()).isEqualTo(502);
            assertThat(unreachable.body()).contains("Spotify could not be reached").contains("Nothing was stored.");
            assertThat(f.count("SELECT COUNT(*) FROM spotify_connection")).isZero();
            String code = query(URI.create(second)).get("code");
            assertThat(logs.text()).contains("could not be reached").doesNotContain(code)
                    .doesNotContain(query(URI.create(callback)).get("code")).doesNotContain("code_verifier");
        }
    }

    @Test
    @DisplayName("Opened under localhost, /connect first moves to the redirect URI's host, where the cookie must live")
    void anotherHostNameMovesToTheRedirectUrisHost() throws Exception {
        HttpResponse<String> r = new Browser().get("http://localhost:" + h2.port + "/connect?user=erin");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(Browser.location(r)).isEqualTo(h2.baseUrl() + "/connect?user=erin");
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    @DisplayName("Only Location and Set-Cookie join Cache-Control on the way out; no request header gets in")
    void theHeaderPolicyLetsOnlyTheFlowsHeadersThrough() throws Exception {
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(h2.baseUrl() + "/api/users?Location=http://evil&Set-Cookie=a%3Db&X-Test=1"))
                .header("Cookie", "encore_session=" + "B".repeat(43) + "; other=1")
                .header("X-Test", "1").header("Location", "http://evil").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().map().keySet()).allSatisfy(name -> assertThat(name.toLowerCase())
                .isIn(ownHeaders(":status", "content-type", "content-length", "cache-control")));
        HttpResponse<String> page = new Browser().get(h2.baseUrl() + "/connect?user=bad%20name&Location=x&Set-Cookie=y");
        assertThat(page.headers().map().keySet()).allSatisfy(name -> assertThat(name.toLowerCase())
                .isIn(ownHeaders(":status", "content-type", "content-length", "cache-control")));
    }

    @Test
    @DisplayName("Without a Spotify client id, /connect is a page saying what to set")
    void withoutAClientId() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2", Map.of("encore.spotify.client-id", ""))) {
            HttpResponse<String> page = new Browser().get(f.baseUrl() + "/connect?user=erin");
            assertFailurePage(page, 503, "Spotify is not set up for this Encore");
            assertThat(page.body()).contains("ENCORE_SPOTIFY_CLIENT_ID").contains(f.redirectUri());
        }
    }

    @Test
    @DisplayName("On PostgreSQL without ENCORE_SECRET_KEY Encore starts and serves, but connecting says to set the key")
    void postgresqlWithoutAKey() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("postgresql", Map.of("encore.secret-key", ""))) {
            // export intake works as ever
            java.nio.file.Path export = dev.encore.Samples.dir().resolve("hobbies-w-erin").resolve("StreamingHistory_music_0.json");
            f.app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file", export.toFile(), Map.of(
                    dev.encore.intake.Headers.SOURCE_PATH, export.getFileName().toString(),
                    dev.encore.intake.Headers.SOURCE_KIND, "cli", dev.encore.intake.Headers.USER, "erin"));
            assertThat(f.count("SELECT COUNT(*) FROM stream WHERE user_id = 'erin'")).isPositive();
            assertThat(f.userEntry("erin").path("spotify").isNull()).isTrue();
            HttpResponse<String> page = new Browser().get(f.baseUrl() + "/connect?user=erin");
            assertFailurePage(page, 503, "Encore cannot store Spotify tokens yet");
            assertThat(page.body()).contains("set ENCORE_SECRET_KEY");
            assertThat(f.count("SELECT COUNT(*) FROM spotify_authorization")).isZero();
            assertThat(java.nio.file.Files.exists(f.keyFile())).as("no key file beside a shared database").isFalse();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static void assertFailurePage(HttpResponse<String> page, int status, String title) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(status);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).startsWith("<!doctype html>").contains(title).contains("id=\"what-to-do\"")
                .contains("Nothing was stored.").contains("Back to the dashboard");
    }

    private static void assertNothingStored(String user) {
        assertThat(h2.count("SELECT COUNT(*) FROM spotify_connection WHERE user_id = ?", user)).isZero();
        assertThat(h2.count("SELECT COUNT(*) FROM app_user WHERE user_id = ?", user)).isZero();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String sha256Hex(String s) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }


    /** These, and the access gate's own headers on every answer (no framing, no sniffing). */
    private static java.util.List<String> ownHeaders(String... names) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(names));
        dev.encore.access.AccessGate.ANSWER_HEADERS.keySet().forEach(h -> all.add(h.toLowerCase(java.util.Locale.ROOT)));
        return all;
    }
}
