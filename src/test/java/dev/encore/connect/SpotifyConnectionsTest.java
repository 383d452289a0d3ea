package dev.encore.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.EncoreApp;
import dev.encore.LogCapture;
import dev.encore.spotify.SpotifyUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token store the hourly extraction uses ({@link UserTokens}, bean {@code userTokens}), after a
 * real connect: caching, refresh with and without rotation, invalid_grant, outages, disconnecting,
 * two replicas, the key file and a changed key.
 */
class SpotifyConnectionsTest {

    @Test
    @DisplayName("An access token is reused until a minute before it expires, then renewed from the refresh token")
    void anAccessTokenIsRenewedAMinuteBeforeItExpires() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            connect(f, "erin");
            String first = f.tokens().bearer("erin");
            assertThat(f.tokens().bearer("erin")).isEqualTo(first);
            f.clock.advance(Duration.ofSeconds(3600 - 61));
            assertThat(f.tokens().bearer("erin")).isEqualTo(first);
            assertThat(f.fake.tokenRequests("refresh_token")).isZero();
            f.clock.advance(Duration.ofSeconds(1));
            String second = f.tokens().bearer("erin");
            assertThat(second).isNotEqualTo(first).startsWith("Bearer ");
            assertThat(f.fake.tokenRequests("refresh_token")).isEqualTo(1);
            assertThat(f.fake.userOfToken(second.substring("Bearer ".length()))).hasValue(ConnectFixture.SPOTIFY_USER);
            // invalidate (after a 401) forgets the cached one
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).isNotEqualTo(second);
            assertThat(f.fake.tokenRequests("refresh_token")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("Without rotation the stored refresh token stays; with rotation the new one replaces it")
    void refreshWithAndWithoutRotation(String kind) throws Exception {
        try (ConnectFixture f = ConnectFixture.on(kind); LogCapture logs = LogCapture.open()) {
            connect(f, "erin");
            String stored = f.connectionRow("erin").orElseThrow().get("refresh_token");

            f.tokens().invalidate("erin");
            f.tokens().bearer("erin");
            assertThat(f.connectionRow("erin").orElseThrow().get("refresh_token")).isEqualTo(stored);
            assertThat(f.connectionRow("erin").orElseThrow().get("refreshed_at")).isNotNull();
            assertThat(f.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER)).hasSize(1);

            f.fake.rotateRefreshTokens(true);
            f.tokens().invalidate("erin");
            f.tokens().bearer("erin");
            String rotated = f.connectionRow("erin").orElseThrow().get("refresh_token");
            assertThat(rotated).isNotEqualTo(stored).startsWith("v1:");
            assertThat(f.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER)).hasSize(2);
            // the old one is dead at Spotify: this refresh works only with the new one from the database
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
            assertThat(f.tokens().connectedUsers()).containsExactly("erin");

            String all = logs.text() + f.tableText("spotify_connection");
            for (String token : f.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER)) {
                assertThat(all).doesNotContain(token);
            }
            for (String token : f.fake.accessTokensIssued(ConnectFixture.SPOTIFY_USER)) {
                assertThat(all).doesNotContain(token);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("invalid_grant is final: 'needs to reconnect' with date and reason, skipped, never retried; a new connect heals it")
    void invalidGrantMarksTheUserForReconnecting(String kind) throws Exception {
        try (ConnectFixture f = ConnectFixture.on(kind); LogCapture logs = LogCapture.open()) {
            connect(f, "erin");
            connect(f, "otto");
            f.fake.revoke(ConnectFixture.SPOTIFY_USER);
            f.tokens().invalidate("erin");
            f.clock.advance(Duration.ofHours(5));
            assertThatThrownBy(() -> f.tokens().bearer("erin")).isInstanceOf(ReconnectNeededException.class)
                    .hasMessage("erin needs to reconnect Spotify: Refresh token revoked")
                    .satisfies(e -> assertThat(((ReconnectNeededException) e).user()).isEqualTo("erin"));
            int asked = f.fake.tokenRequests("refresh_token");
            assertThatThrownBy(() -> f.tokens().bearer("erin")).isInstanceOf(ReconnectNeededException.class);
            assertThat(f.fake.tokenRequests("refresh_token")).as("never retried").isEqualTo(asked);

            var row = f.connectionRow("erin").orElseThrow();
            assertThat(row.get("status")).isEqualTo("reconnect");
            assertThat(row.get("reconnect_reason")).isEqualTo("Refresh token revoked");
            JsonNode spotify = f.userEntry("erin").path("spotify");
            assertThat(spotify.path("status").asText()).isEqualTo("needs_reconnect");
            assertThat(spotify.path("reconnect_since").asText()).isEqualTo(f.clock.instant().toString());
            assertThat(spotify.path("reconnect_reason").asText()).isEqualTo("Refresh token revoked");
            // otto's account was revoked too (one fake user), but nobody asked yet: still listed
            assertThat(f.tokens().connectedUsers()).containsExactly("otto");

            connect(f, "erin");
            assertThat(f.userEntry("erin").path("spotify").path("status").asText()).isEqualTo("connected");
            assertThat(f.userEntry("erin").path("spotify").path("reconnect_since").isNull()).isTrue();
            assertThat(f.tokens().connectedUsers()).contains("erin");
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
            assertThat(logs.text()).contains("erin").doesNotContain("AQ");
        }
    }

    @Test
    @DisplayName("A 5xx or an unreachable accounts service is SpotifyUnavailableException, naming no token; the user stays connected")
    void anOutageIsUnavailableNotReconnect() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            connect(f, "erin");
            String refreshToken = f.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER).get(0);
            f.fake.failNext("POST /api/token", 1, 503, Map.of(), null);
            f.tokens().invalidate("erin");
            assertThatThrownBy(() -> f.tokens().bearer("erin")).isInstanceOf(SpotifyUnavailableException.class)
                    .hasMessageContaining("HTTP 503").hasMessageNotContaining(refreshToken);
            assertThat(f.tokens().connectedUsers()).containsExactly("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");

            // the same store, its accounts service gone
            SpotifyConnections offline = replicaOn(f, "http://127.0.0.1:" + EncoreApp.freePort());
            assertThatThrownBy(() -> offline.bearer("erin")).isInstanceOf(SpotifyUnavailableException.class)
                    .hasMessageContaining("could not be reached").hasMessageNotContaining(refreshToken);
            assertThat(offline.connectedUsers()).containsExactly("erin");
        }
    }

    @Test
    @DisplayName("DELETE /api/users/{user}/connection disconnects (204), then 404; an unknown user is 404")
    void disconnecting() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            connect(f, "erin");
            assertThat(delete(f, "erin").statusCode()).isEqualTo(204);
            assertThat(f.connectionRow("erin")).isEmpty();
            assertThat(f.tokens().connectedUsers()).isEmpty();
            assertThat(f.userEntry("erin").path("spotify").isNull()).isTrue();
            assertThatThrownBy(() -> f.tokens().bearer("erin")).isInstanceOf(ReconnectNeededException.class)
                    .hasMessageContaining("no Spotify account is connected");
            HttpResponse<String> again = delete(f, "erin");
            assertThat(again.statusCode()).isEqualTo(404);
            assertThat(again.body()).isEqualTo("{\"error\":\"No Spotify account is connected to user 'erin'\"}");
            assertThat(delete(f, "nobody").statusCode()).isEqualTo(404);
        }
    }

    @Test
    @DisplayName("Two replicas on one PostgreSQL database: each refresh reads the refresh token the other rotated")
    void twoReplicasShareRotatedRefreshTokens() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("postgresql")) {
            connect(f, "erin");
            f.fake.rotateRefreshTokens(true);
            Map<String, String> other = new HashMap<>(f.settings);
            other.put("camel.server.port", Integer.toString(EncoreApp.freePort()));
            try (EncoreApp second = EncoreApp.start(f.db.url(), f.db.user(), other, Map.of("encoreClock", f.clock))) {
                UserTokens b = second.camel().getRegistry().lookupByNameAndType("userTokens", UserTokens.class);
                for (int i = 0; i < 3; i++) {
                    f.tokens().invalidate("erin");
                    assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
                    b.invalidate("erin");
                    assertThat(b.bearer("erin")).startsWith("Bearer ");
                }
                assertThat(f.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER)).hasSize(7);
                assertThat(b.connectedUsers()).containsExactly("erin");
            }
        }
    }

    @Test
    @DisplayName("A refresh token rotated by another replica while this one was refreshing is not a reason to reconnect")
    void aRotationByAnotherReplicaMeanwhileIsRetriedWithTheNewToken() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            connect(f, "erin");
            f.fake.rotateRefreshTokens(true);
            SpotifyConnections otherReplica = replicaOn(f, f.fake.baseUrl());
            // this replica has read the refresh token and sent it; meanwhile the other one rotates it away
            f.fake.beforeNextRefresh(() -> {
                try {
                    otherReplica.bearer("erin");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
            // three refreshes: this replica's (refused: rotated away meanwhile), the other's, and the retry with its token
            assertThat(f.fake.tokenRequests("refresh_token")).isEqualTo(3);
            assertThat(f.connectionRow("erin").orElseThrow().get("status")).isEqualTo("connected");
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
            assertThat(otherReplica.connectedUsers()).containsExactly("erin");
        }
    }

    @Test
    @DisplayName("On H2 the key file is created once with permissions 600 and reused after a restart")
    void theKeyFileIsOwnerOnlyAndReused() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2")) {
            assertThat(Files.exists(f.keyFile())).as("made on first use, not at start").isFalse();
            connect(f, "erin");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.keyFile()))).isEqualTo("rw-------");
            String key = Files.readString(f.keyFile());
            assertThat(java.util.Base64.getDecoder().decode(key.trim())).hasSize(32);

            f.restart();
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer "); // decrypted with the same key
            assertThat(Files.readString(f.keyFile())).isEqualTo(key);
        }
    }

    @Test
    @DisplayName("A changed key gives a clear error naming the user, without the ciphertext or a stack of AEADBadTagException")
    void aChangedKeyIsAClearError() throws Exception {
        try (ConnectFixture f = ConnectFixture.on("h2"); LogCapture logs = LogCapture.open()) {
            connect(f, "erin");
            String ciphertext = f.connectionRow("erin").orElseThrow().get("refresh_token");
            Files.writeString(f.keyFile(), java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
            f.restart();
            assertThatThrownBy(() -> f.tokens().bearer("erin")).isInstanceOf(TokenCipher.KeyUnavailableException.class)
                    .hasMessageContaining("user 'erin'").hasMessageContaining("cannot be decrypted")
                    .hasMessageContaining("ENCORE_SECRET_KEY").hasMessageNotContaining(ciphertext.substring(3, 20))
                    .hasNoCause();
            assertThat(f.users().path("users").get(0).path("spotify").path("status").asText()).isEqualTo("connected");
            assertThat(logs.text()).doesNotContain("AEADBadTag").doesNotContain(ciphertext.substring(3, 20));
            // connecting again replaces the row with one the new key can read
            connect(f, "erin");
            f.tokens().invalidate("erin");
            assertThat(f.tokens().bearer("erin")).startsWith("Bearer ");
        }
    }

    /** Another token store on the fixture's H2 database and key file, as a second replica has. */
    private static SpotifyConnections replicaOn(ConnectFixture f, String accountsBaseUrl) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(f.db.url());
        ds.setUser(f.db.user());
        return new SpotifyConnections(ds, new TokenCipher(SecretKeys.source("", f.keyFile(), true)), accountsBaseUrl,
                "fake-client-id", f.clock);
    }

    static void connect(ConnectFixture f, String user) throws Exception {
        TestConnections.connect(f.baseUrl(), user);
    }

    private static HttpResponse<String> delete(ConnectFixture f, String user) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.baseUrl() + "/api/users/" + user
                + "/connection")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
