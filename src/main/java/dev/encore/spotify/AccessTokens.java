package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Client-credentials access tokens for the Web API, cached until shortly before they expire and
 * fetched anew after a 401. Neither the secret nor a token ever reaches a log line or an
 * exception message.
 */
public final class AccessTokens {
    /** Renew this long before Spotify's expiry, so no call leaves with a token about to die. */
    private static final Duration MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI tokenUri;
    private final String basicAuth;
    private final Clock clock;
    private String token;
    private Instant expiresAt = Instant.MIN;
    private int fetched;

    public AccessTokens(String accountsBaseUrl, String clientId, String clientSecret, Clock clock) {
        this.tokenUri = URI.create(accountsBaseUrl.replaceAll("/+$", "") + "/api/token");
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** The {@code Authorization} header value for a Web API call. */
    public synchronized String bearer() throws SpotifyUnavailableException, InterruptedException {
        if (token == null || !clock.instant().isBefore(expiresAt.minus(MARGIN))) {
            fetch();
        }
        return "Bearer " + token;
    }

    /** Forgets the cached token (after a 401), so the next {@link #bearer()} asks for a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    public synchronized int fetched() {
        return fetched;
    }

    private void fetch() throws SpotifyUnavailableException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<String> response;
        try {
            response = AccountsHttp.client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SpotifyUnavailableException("The Spotify accounts service could not be reached: " + e.getMessage(), e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
            // the accounts service explains itself in error/error_description; it never echoes the secret
            throw new SpotifyUnavailableException("Spotify gave no access token (HTTP " + response.statusCode() + " "
                    + body.path("error").asText("") + ": " + body.path("error_description").asText("") + ")");
        }
        token = body.get("access_token").asText();
        expiresAt = clock.instant().plusSeconds(body.path("expires_in").asLong(3600));
        fetched++;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
