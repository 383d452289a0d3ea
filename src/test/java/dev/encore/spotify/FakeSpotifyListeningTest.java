package dev.encore.spotify;

import static dev.encore.spotify.FakeSpotifyListening.track;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The user endpoints of the fake speak the Web API's wire format (reference/spotify.md 2.5, 3). */
class FakeSpotifyListeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant LAST = Instant.parse("2026-12-01T10:00:00Z");
    private final FakeSpotifyListening listening = new FakeSpotifyListening(
            token -> token.equals("ann-token") ? Optional.of("ann") : Optional.empty());
    private final FakeSpotify spotify = FakeSpotify.start().mount(listening);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        spotify.close();
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(spotify.baseUrl() + pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("Recently played: only the 50 most recent, newest first, after in ms, cursors and played_at with milliseconds")
    void recentlyPlayed() throws Exception {
        listening.plays("ann", 0, 80, LAST);
        JsonNode all = JSON.readTree(get("/v1/me/player/recently-played?limit=50", "ann-token").body());
        assertThat(all.path("items")).hasSize(50);
        assertThat(all.path("items").get(0).path("played_at").asText()).isEqualTo("2026-12-01T10:00:00.000Z");
        assertThat(all.path("items").get(0).path("track").path("uri").asText()).isEqualTo("spotify:track:" + track(79).id());
        assertThat(all.path("cursors").path("after").asText()).isEqualTo(Long.toString(LAST.toEpochMilli()));
        assertThat(all.path("next").isNull()).as("nothing older can be read").isTrue();

        long after = LAST.minusSeconds(180 * 3).toEpochMilli();
        JsonNode recent = JSON.readTree(get("/v1/me/player/recently-played?limit=50&after=" + after, "ann-token").body());
        assertThat(recent.path("items")).hasSize(3);
        JsonNode none = JSON.readTree(get("/v1/me/player/recently-played?limit=50&after=" + LAST.toEpochMilli(), "ann-token").body());
        assertThat(none.path("items")).isEmpty();
        assertThat(none.path("cursors").isNull()).isTrue();
        assertThat(get("/v1/me/player/recently-played?after=1&before=2", "ann-token").statusCode()).isEqualTo(400);
    }

    @Test
    @DisplayName("Playlists: offset paging; items shown and readable only for own and collaborative playlists, others 403")
    void playlists() throws Exception {
        listening.playlist("ann", "own", "ann", false, "s1", List.of(track(1)))
                .playlist("ann", "collab", "bob", true, "s2", List.of(track(2)))
                .playlist("ann", "followed", "carl", false, "s3", List.of(track(3)));
        JsonNode page = JSON.readTree(get("/v1/me/playlists?limit=2&offset=0", "ann-token").body());
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("next").asText()).contains("offset=2");
        assertThat(page.path("items").get(0).path("items").path("total").asInt()).isEqualTo(1);
        JsonNode last = JSON.readTree(get("/v1/me/playlists?limit=2&offset=2", "ann-token").body());
        assertThat(last.path("items").get(0).has("items")).as("another's playlist: no items reference").isFalse();
        assertThat(last.path("next").isNull()).isTrue();
        assertThat(get("/v1/playlists/collab/items", "ann-token").statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = get("/v1/playlists/followed/items", "ann-token");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(forbidden.body()).path("error").path("status").asInt()).isEqualTo(403);
    }

    @Test
    @DisplayName("Saved tracks newest first with added_at; top items per time range; a bad token is a 401 in Spotify's error shape")
    void savedTopAndTokens() throws Exception {
        listening.save("ann", track(1), LAST.minusSeconds(60)).save("ann", track(2), LAST);
        listening.top("ann", "artists", "short_term", List.of(track(10)));
        JsonNode saved = JSON.readTree(get("/v1/me/tracks?limit=50", "ann-token").body());
        assertThat(saved.path("items").get(0).path("added_at").asText()).isEqualTo("2026-12-01T10:00:00Z");
        JsonNode top = JSON.readTree(get("/v1/me/top/artists?time_range=short_term&limit=50", "ann-token").body());
        assertThat(top.path("items").get(0).path("type").asText()).isEqualTo("artist");
        assertThat(top.path("items").get(0).has("popularity")).as("Development Mode: no popularity").isFalse();
        assertThat(get("/v1/me/top/artists?time_range=forever", "ann-token").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = get("/v1/me/tracks", "someone-else");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(bad.body()).path("error").path("message").asText()).isEqualTo("Invalid access token");
        assertThat(listening.calls("ann", "GET /v1/me/")).isEqualTo(3);
    }

    @Test
    @DisplayName("FakeSpotify's scripted 429 with QUOTA_EXCEEDED and Retry-After comes first")
    void quota() throws Exception {
        spotify.quotaExceededNext("GET /v1/me/player/recently-played", 1, 86_400);
        HttpResponse<String> r = get("/v1/me/player/recently-played", "ann-token");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("86400");
        assertThat(JSON.readTree(r.body()).path("error").path("reason").asText()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(Map.of("ok", get("/v1/me/player/recently-played", "ann-token").statusCode())).containsEntry("ok", 200);
    }
}
