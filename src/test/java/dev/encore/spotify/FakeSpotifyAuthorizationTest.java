package dev.encore.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fake's authorization code flow with PKCE, over real HTTP: what Encore's connect flow and the extraction rely on. */
class FakeSpotifyAuthorizationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://127.0.0.1:8080/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 appendix B
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private FakeSpotify fake;

    @BeforeEach
    void start() {
        fake = FakeSpotify.start().registerRedirectUri(REDIRECT).addUser("31erin", "Erin").addUser("otto99", null);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    @DisplayName("/authorize refuses a wrong client or an unregistered redirect URI with a page, other mistakes at the redirect URI")
    void authorizeChecksTheRequest() throws Exception {
        assertThat(authorize(Map.of("client_id", "nope")).statusCode()).isEqualTo(400);
        HttpResponse<String> badRedirect = authorize(Map.of("redirect_uri", "http://localhost:8080/callback"));
        assertThat(badRedirect.statusCode()).isEqualTo(400);
        assertThat(badRedirect.body()).contains("Invalid redirect URI");
        assertThat(query(authorize(Map.of("response_type", "token")))).containsEntry("error", "unsupported_response_type");
        assertThat(query(authorize(Map.of("scope", "user-read-recently-played not-a-scope")))).containsEntry("error", "invalid_scope");
        assertThat(query(authorize(Map.of("code_challenge_method", "plain"))))
                .containsEntry("error", "invalid_request").containsEntry("state", "st4te");
    }

    @Test
    @DisplayName("Consent gives a code and the state; a refusal gives error=access_denied and the state")
    void consentOrNot() throws Exception {
        Map<String, String> yes = query(authorize(Map.of()));
        assertThat(yes.get("code")).startsWith("AQ");
        assertThat(yes).containsEntry("state", "st4te");
        fake.consent(false);
        assertThat(query(authorize(Map.of()))).containsOnly(Map.entry("error", "access_denied"), Map.entry("state", "st4te"));
    }

    @Test
    @DisplayName("The code exchange checks PKCE for real, and a code counts once and expires")
    void theCodeExchange() throws Exception {
        // the RFC's example pair: the fake computes S256 itself
        assertThat(s256(VERIFIER)).isEqualTo(CHALLENGE);
        String code = query(authorize(Map.of())).get("code");
        assertThat(error(exchange(code, REDIRECT, VERIFIER.replace('d', 'e')))).isEqualTo("invalid_grant: code_verifier was incorrect");
        String second = query(authorize(Map.of())).get("code");
        assertThat(error(exchange(second, "http://127.0.0.1:9/other", VERIFIER))).isEqualTo("invalid_grant: Invalid redirect URI");
        String third = query(authorize(Map.of())).get("code");
        HttpResponse<String> wrongClient = post("grant_type=authorization_code&code=" + third + "&redirect_uri="
                + enc(REDIRECT) + "&code_verifier=" + VERIFIER + "&client_id=other");
        assertThat(error(wrongClient)).isEqualTo("invalid_client: Invalid client");

        String good = query(authorize(Map.of())).get("code");
        HttpResponse<String> ok = exchange(good, REDIRECT, VERIFIER);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode tokens = JSON.readTree(ok.body());
        assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(tokens.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(tokens.get("scope").asText().split(" ")).containsExactlyInAnyOrder("user-read-recently-played", "user-top-read");
        assertThat(fake.userOfToken(tokens.get("access_token").asText())).hasValue("31erin");
        assertThat(fake.refreshTokensIssued("31erin")).containsExactly(tokens.get("refresh_token").asText());
        assertThat(error(exchange(good, REDIRECT, VERIFIER))).isEqualTo("invalid_grant: Invalid authorization code");

        String late = query(authorize(Map.of())).get("code");
        fake.advanceTime(Duration.ofMinutes(10));
        assertThat(error(exchange(late, REDIRECT, VERIFIER))).isEqualTo("invalid_grant: Authorization code expired");
        assertThat(fake.tokenRequests("authorization_code")).isEqualTo(6);
    }

    @Test
    @DisplayName("Refresh: the old refresh token kept (no rotation) or replaced (rotation); revoked is invalid_grant")
    void refreshing() throws Exception {
        String refresh = JSON.readTree(exchange(query(authorize(Map.of())).get("code"), REDIRECT, VERIFIER).body())
                .get("refresh_token").asText();
        JsonNode kept = JSON.readTree(post("grant_type=refresh_token&refresh_token=" + refresh + "&client_id=fake-client-id").body());
        assertThat(kept.has("refresh_token")).isFalse();
        assertThat(fake.userOfToken(kept.get("access_token").asText())).hasValue("31erin");

        fake.rotateRefreshTokens(true);
        JsonNode rotated = JSON.readTree(post("grant_type=refresh_token&refresh_token=" + refresh + "&client_id=fake-client-id").body());
        String next = rotated.get("refresh_token").asText();
        assertThat(next).isNotEqualTo(refresh);
        assertThat(error(post("grant_type=refresh_token&refresh_token=" + refresh + "&client_id=fake-client-id")))
                .isEqualTo("invalid_grant: Invalid refresh token");

        fake.revoke("31erin");
        assertThat(error(post("grant_type=refresh_token&refresh_token=" + next + "&client_id=fake-client-id")))
                .isEqualTo("invalid_grant: Refresh token revoked");
        assertThat(fake.userOfToken(rotated.get("access_token").asText())).isEmpty();
        assertThat(me(rotated.get("access_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    @DisplayName("/v1/me answers the user of a user token; user tokens expire on the fake's clock; client tokens have no user")
    void meAndUserOfToken() throws Exception {
        fake.signedInAs("otto99");
        String token = JSON.readTree(exchange(query(authorize(Map.of())).get("code"), REDIRECT, VERIFIER).body())
                .get("access_token").asText();
        JsonNode me = JSON.readTree(me(token).body());
        assertThat(me.get("id").asText()).isEqualTo("otto99");
        assertThat(me.get("display_name").isNull()).isTrue();
        assertThat(me.get("uri").asText()).isEqualTo("spotify:user:otto99");
        fake.advanceTime(Duration.ofSeconds(3600));
        assertThat(fake.userOfToken(token)).isEmpty();
        assertThat(me(token).statusCode()).isEqualTo(401);

        String basic = Base64.getEncoder().encodeToString("fake-client-id:fake-client-secret".getBytes(StandardCharsets.UTF_8));
        String client = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        assertThat(fake.userOfToken(client)).isEmpty();
        assertThat(me(client).statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------------------------------

    private HttpResponse<String> authorize(Map<String, String> changes) throws Exception {
        Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", "fake-client-id", "response_type", "code",
                "redirect_uri", REDIRECT, "scope", "user-read-recently-played user-top-read", "state", "st4te",
                "code_challenge_method", "S256", "code_challenge", CHALLENGE));
        q.putAll(changes);
        String query = String.join("&", q.entrySet().stream().map(e -> e.getKey() + "=" + enc(e.getValue())).toList());
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/authorize?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> exchange(String code, String redirect, String verifier) throws Exception {
        return post("grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(redirect)
                + "&client_id=fake-client-id&code_verifier=" + verifier);
    }

    private HttpResponse<String> post(String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> me(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/me"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        return body.get("error").asText() + ": " + body.get("error_description").asText();
    }

    /** The query of the redirect's Location, decoded. */
    private static Map<String, String> query(HttpResponse<String> redirect) {
        assertThat(redirect.statusCode()).as(redirect.body()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
