package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Drives {@link FakeSpotify} over real HTTP with {@link HttpClient}, checking Spotify's wire format. */
class FakeSpotifyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // 22 base-62 characters each, like real Spotify IDs.
    private static final String TRACK_1 = "4uLU6hMCjMI75M1A2tKUQC";
    private static final String TRACK_2 = "7ouMYWpwJ422jRcDASZB7P";
    private static final String TRACK_3 = "0VjIjW4GlUZAMYd2vXMi3b";
    private static final String ALBUM = "6dVIqQ8qmQ5GBnJ9shOYGE";
    private static final String ALBUM_2 = "2noRn2Aes5aoNVsU6iWThc";
    private static final String ARTIST_1 = "0gxyHStUsqpMadRV0Di1Qt";
    private static final String ARTIST_2 = "1Xyo4u8uXC1ZmMpatF05PJ";
    private static final String UNKNOWN = "0000000000000000000000";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private FakeSpotify fake;

    @BeforeEach
    void start() {
        fake = FakeSpotify.start();
        fake.addArtist(ARTIST_1, "Rick Astley", List.of("dance pop", "new wave pop"))
                .addArtist(ARTIST_2, "The Weeknd", List.of())
                .addAlbum(ALBUM, "Whenever You Need Somebody", "album", "1987-11-12", "day")
                .addAlbum(ALBUM_2, "After Hours", "single", "2019-11", "month")
                .addTrack(TRACK_1, "Never Gonna Give You Up", ALBUM, List.of(ARTIST_1), "GBARL9300135", 213_573, false)
                .addTrack(TRACK_2, "Together Forever", ALBUM, List.of(ARTIST_1, ARTIST_2), "GBARL8700011")
                .addTrack(TRACK_3, "Blinding Lights", ALBUM_2, List.of(ARTIST_2), null, 200_040, true);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    // --- accounts -------------------------------------------------------------------------------

    @Test
    void clientCredentialsFlowIssuesBearerToken() throws Exception {
        HttpResponse<String> response = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                "grant_type=client_credentials");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("access_token").asText()).hasSizeGreaterThan(40);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isEqualTo(3600);
        assertThat(body.size()).as("no refresh token in the client-credentials flow").isEqualTo(3);
        assertThat(fake.tokenRequests()).isEqualTo(1);
        assertThat(token()).as("each token is fresh").isNotEqualTo(body.get("access_token").asText());
    }

    @Test
    void configuredCredentialsAndLifetimeAreUsed() throws Exception {
        fake.credentials("my-id", "my-secret").tokenLifetimeSeconds(60);

        HttpResponse<String> ok = tokenRequest("my-id", "my-secret", "grant_type=client_credentials");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("expires_in").asInt()).isEqualTo(60);

        HttpResponse<String> oldDefaults = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                "grant_type=client_credentials");
        assertThat(oldDefaults.statusCode()).isEqualTo(400);
    }

    @Test
    void badCredentialsAreInvalidClient() throws Exception {
        for (HttpResponse<String> response : List.of(
                tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, "wrong-secret", "grant_type=client_credentials"),
                tokenRequest("wrong-id", FakeSpotify.DEFAULT_CLIENT_SECRET, "grant_type=client_credentials"),
                send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))))) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}"));
        }
        assertThat(fake.tokenRequests()).as("failed attempts count too").isEqualTo(3);
    }

    @Test
    void grantTypeMustBeClientCredentials() throws Exception {
        HttpResponse<String> missing = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET, "");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missing.body()).get("error").asText()).isEqualTo("unsupported_grant_type");

        HttpResponse<String> other = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                "grant_type=password");
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(other.body()).get("error").asText()).isEqualTo("unsupported_grant_type");

        HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/api/token")).GET());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void webApiRequiresAnIssuedBearerToken() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/tracks/" + TRACK_1)).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(errorOf(none)).isEqualTo(Map.of("status", 401, "message", "No token provided"));

        HttpResponse<String> madeUp = get("/v1/tracks/" + TRACK_1, "BQmadeUpToken");
        assertThat(madeUp.statusCode()).isEqualTo(401);
        assertThat(errorOf(madeUp).get("message")).isEqualTo("Invalid access token");
        assertThat(madeUp.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));

        try (FakeSpotify other = FakeSpotify.start()) {
            String foreign = JSON.readTree(tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                    "grant_type=client_credentials", other).body()).get("access_token").asText();
            assertThat(get("/v1/tracks/" + TRACK_1, foreign).statusCode()).isEqualTo(401);
        }
        assertThat(get("/v1/tracks/" + TRACK_1, token()).statusCode()).isEqualTo(200);
    }

    @Test
    void expireAllTokensRevokesIssuedTokensOnly() throws Exception {
        String token = token();
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).isEqualTo(200);

        fake.expireAllTokens();

        HttpResponse<String> expired = get("/v1/tracks/" + TRACK_1, token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()))
                .isEqualTo(JSON.readTree("{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}"));
        assertThat(get("/v1/tracks/" + TRACK_1, token()).statusCode()).as("a refreshed token works").isEqualTo(200);
    }

    @Test
    void tokensExpireAfterTheirLifetime() throws Exception {
        fake.tokenLifetimeSeconds(3600);
        String token = token();

        fake.advanceTime(Duration.ofSeconds(3599));
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).isEqualTo(200);

        fake.advanceTime(Duration.ofSeconds(2));
        HttpResponse<String> expired = get("/v1/tracks/" + TRACK_1, token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(errorOf(expired).get("message")).isEqualTo("The access token expired");
    }

    // --- catalogue objects ----------------------------------------------------------------------

    @Test
    void singleTrackIsAFullTrackObject() throws Exception {
        HttpResponse<String> response = get("/v1/tracks/" + TRACK_1, token());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode track = JSON.readTree(response.body());
        assertThat(fieldNames(track)).containsExactlyInAnyOrder("album", "artists", "disc_number", "duration_ms",
                "explicit", "external_ids", "external_urls", "href", "id", "is_local", "name", "popularity",
                "preview_url", "track_number", "type", "uri");
        assertThat(track.get("id").asText()).isEqualTo(TRACK_1);
        assertThat(track.get("name").asText()).isEqualTo("Never Gonna Give You Up");
        assertThat(track.get("type").asText()).isEqualTo("track");
        assertThat(track.get("uri").asText()).isEqualTo("spotify:track:" + TRACK_1);
        assertThat(track.get("href").asText()).isEqualTo(fake.baseUrl() + "/v1/tracks/" + TRACK_1);
        assertThat(track.get("external_urls").get("spotify").asText()).isEqualTo("https://open.spotify.com/track/" + TRACK_1);
        assertThat(track.get("duration_ms").asInt()).isEqualTo(213_573);
        assertThat(track.get("explicit").isBoolean()).isTrue();
        assertThat(track.get("explicit").asBoolean()).isFalse();
        assertThat(track.get("disc_number").asInt()).isEqualTo(1);
        assertThat(track.get("track_number").asInt()).isEqualTo(1);
        assertThat(track.get("is_local").asBoolean()).isFalse();
        assertThat(track.get("preview_url").isNull()).isTrue();
        assertThat(track.get("external_ids").get("isrc").asText()).isEqualTo("GBARL9300135");
        assertThat(track.get("popularity").asInt()).isBetween(0, 100);

        JsonNode album = track.get("album");
        assertThat(fieldNames(album)).as("simplified album").containsExactlyInAnyOrder("album_type", "artists",
                "external_urls", "href", "id", "images", "name", "release_date", "release_date_precision",
                "total_tracks", "type", "uri");
        assertThat(album.get("id").asText()).isEqualTo(ALBUM);
        assertThat(album.get("name").asText()).isEqualTo("Whenever You Need Somebody");
        assertThat(album.get("album_type").asText()).isEqualTo("album");
        assertThat(album.get("release_date").asText()).isEqualTo("1987-11-12");
        assertThat(album.get("release_date_precision").asText()).isEqualTo("day");
        assertThat(album.get("total_tracks").asInt()).isEqualTo(2);
        assertThat(album.get("images")).hasSize(3);
        assertThat(album.get("images").get(0).get("url").asText()).startsWith("https://i.scdn.co/image/");
        assertThat(album.get("images").get(0).get("height").asInt()).isEqualTo(640);
        assertThat(album.get("images").get(0).get("width").asInt()).isEqualTo(640);
        assertThat(ids(album.get("artists"))).containsExactly(ARTIST_1, ARTIST_2);

        JsonNode artist = track.get("artists").get(0);
        assertThat(fieldNames(artist)).as("simplified artist")
                .containsExactlyInAnyOrder("external_urls", "href", "id", "name", "type", "uri");
        assertThat(artist.get("name").asText()).isEqualTo("Rick Astley");
        assertThat(artist.get("type").asText()).isEqualTo("artist");
        assertThat(artist.get("uri").asText()).isEqualTo("spotify:artist:" + ARTIST_1);
        assertThat(artist.get("href").asText()).isEqualTo(fake.baseUrl() + "/v1/artists/" + ARTIST_1);
    }

    @Test
    void trackWithoutIsrcAndSecondTrackNumber() throws Exception {
        String token = token();
        JsonNode noIsrc = JSON.readTree(get("/v1/tracks/" + TRACK_3, token).body());
        assertThat(noIsrc.get("external_ids").isObject()).isTrue();
        assertThat(noIsrc.get("external_ids").size()).isZero();
        assertThat(noIsrc.get("explicit").asBoolean()).isTrue();

        JsonNode second = JSON.readTree(get("/v1/tracks/" + TRACK_2, token).body());
        assertThat(second.get("track_number").asInt()).isEqualTo(2);
        assertThat(second.get("duration_ms").asInt()).isEqualTo(210_000);
        assertThat(ids(second.get("artists"))).containsExactly(ARTIST_1, ARTIST_2);
    }

    @Test
    void fullAlbumObject() throws Exception {
        HttpResponse<String> response = get("/v1/albums/" + ALBUM, token());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode album = JSON.readTree(response.body());
        assertThat(fieldNames(album)).contains("label", "popularity", "genres", "tracks", "external_ids", "copyrights",
                "release_date", "release_date_precision", "total_tracks", "images", "artists");
        assertThat(album.get("type").asText()).isEqualTo("album");
        assertThat(album.get("genres")).isEmpty();
        assertThat(album.get("label").asText()).isNotBlank();
        assertThat(album.get("external_ids").get("upc").asText()).matches("\\d{12}");
        JsonNode tracks = album.get("tracks");
        assertThat(fieldNames(tracks)).containsExactlyInAnyOrder("href", "items", "limit", "next", "offset", "previous", "total");
        assertThat(tracks.get("total").asInt()).isEqualTo(2);
        assertThat(ids(tracks.get("items"))).containsExactly(TRACK_1, TRACK_2);
        assertThat(tracks.get("items").get(0).has("album")).as("simplified tracks carry no album").isFalse();
        assertThat(tracks.get("next").isNull()).isTrue();

        JsonNode monthPrecision = JSON.readTree(get("/v1/albums/" + ALBUM_2, token()).body());
        assertThat(monthPrecision.get("release_date").asText()).isEqualTo("2019-11");
        assertThat(monthPrecision.get("release_date_precision").asText()).isEqualTo("month");
        assertThat(monthPrecision.get("album_type").asText()).isEqualTo("single");
    }

    @Test
    void albumTracksArePaged() throws Exception {
        JsonNode page = JSON.readTree(get("/v1/albums/" + ALBUM + "/tracks?limit=1&offset=1", token()).body());
        assertThat(ids(page.get("items"))).containsExactly(TRACK_2);
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(page.get("previous").asText()).contains("offset=0");
        assertThat(get("/v1/albums/" + ALBUM + "/tracks?limit=51", token()).statusCode()).isEqualTo(400);
    }

    @Test
    void fullArtistObject() throws Exception {
        JsonNode artist = JSON.readTree(get("/v1/artists/" + ARTIST_1, token()).body());

        assertThat(fieldNames(artist)).containsExactlyInAnyOrder("external_urls", "followers", "genres", "href", "id",
                "images", "name", "popularity", "type", "uri");
        assertThat(artist.get("name").asText()).isEqualTo("Rick Astley");
        assertThat(artist.get("genres").get(0).asText()).isEqualTo("dance pop");
        assertThat(artist.get("genres")).hasSize(2);
        assertThat(artist.get("followers").get("href").isNull()).isTrue();
        assertThat(artist.get("followers").get("total").isInt()).isTrue();
        assertThat(artist.get("images")).hasSize(3);
        assertThat(artist.get("popularity").asInt()).isBetween(0, 100);
    }

    @Test
    void placeholdersAndConvenienceSetup() throws Exception {
        String newTrack = "3n3Ppam7vgaVa1iaRUc9Lp";
        String newAlbum = "4OHNH3sDzIxnmUADXzv2kT";
        String newArtist = "0C0XlULifJtAgn6ZNCW2eu";
        fake.addTrackWithAlbumAndArtists(newTrack, "Mr. Brightside", "USIR20400274", newAlbum, "Hot Fuss",
                List.of(Map.entry(newArtist, "The Killers")));

        JsonNode track = JSON.readTree(get("/v1/tracks/" + newTrack, token()).body());
        assertThat(track.get("album").get("name").asText()).isEqualTo("Hot Fuss");
        assertThat(track.get("artists").get(0).get("name").asText()).isEqualTo("The Killers");

        String orphan = "5ghIJDpPoe3CfHMGu71E6T";
        String unseenAlbum = "2guirTSEqLizK7j9i1MTTZ";
        fake.addTrack(orphan, "Smells Like Teen Spirit", unseenAlbum, List.of(ARTIST_1), null);
        assertThat(get("/v1/albums/" + unseenAlbum, token()).statusCode()).as("placeholder album").isEqualTo(200);

        assertThatThrownBy(() -> fake.addTrack("tooShort", "x", ALBUM, List.of(ARTIST_1), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fake.addAlbum(ALBUM, "x", "album", "1987", "day"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- single vs batch ------------------------------------------------------------------------

    @Test
    void unknownIdOnSingleEndpointsIs404() throws Exception {
        String token = token();
        for (String kind : List.of("tracks", "albums", "artists")) {
            HttpResponse<String> response = get("/v1/" + kind + "/" + UNKNOWN, token);
            assertThat(response.statusCode()).as(kind).isEqualTo(404);
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"status\":404,\"message\":\"non existing id\"}}"));
        }
    }

    @Test
    void malformedIdIs400() throws Exception {
        String token = token();
        for (String path : List.of("/v1/tracks/abc", "/v1/albums/" + ALBUM + "x", "/v1/artists/" + "-".repeat(22),
                "/v1/tracks?ids=" + TRACK_1 + ",abc", "/v1/tracks?ids=" + TRACK_1 + ",,", "/v1/albums?ids=")) {
            HttpResponse<String> response = get(path, token);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(errorOf(response)).as(path).isEqualTo(Map.of("status", 400, "message", "invalid id"));
        }
    }

    @Test
    void multiGetKeepsRequestOrderWithNullsAndDuplicates() throws Exception {
        HttpResponse<String> response = get("/v1/tracks?ids=" + String.join(",", TRACK_3, UNKNOWN, TRACK_1, TRACK_3), token());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode tracks = JSON.readTree(response.body()).get("tracks");
        assertThat(tracks).hasSize(4);
        assertThat(tracks.get(0).get("id").asText()).isEqualTo(TRACK_3);
        assertThat(tracks.get(1).isNull()).as("unknown id gives null in place").isTrue();
        assertThat(tracks.get(2).get("id").asText()).isEqualTo(TRACK_1);
        assertThat(tracks.get(3).get("id").asText()).isEqualTo(TRACK_3);
        assertThat(tracks.get(2).get("album").get("id").asText()).as("full track objects").isEqualTo(ALBUM);
    }

    @Test
    void albumAndArtistMultiGet() throws Exception {
        String token = token();
        JsonNode albums = JSON.readTree(get("/v1/albums?ids=" + UNKNOWN + "," + ALBUM_2 + "," + ALBUM, token).body());
        assertThat(albums.fieldNames()).toIterable().containsExactly("albums");
        assertThat(albums.get("albums").get(0).isNull()).isTrue();
        assertThat(albums.get("albums").get(1).get("id").asText()).isEqualTo(ALBUM_2);
        assertThat(albums.get("albums").get(2).has("label")).as("full album objects").isTrue();

        JsonNode artists = JSON.readTree(get("/v1/artists?ids=" + ARTIST_2 + "%2C" + UNKNOWN, token).body());
        assertThat(artists.get("artists").get(0).get("followers").get("href").isNull()).isTrue();
        assertThat(artists.get("artists").get(1).isNull()).as("encoded comma works too").isTrue();
    }

    @Test
    void batchLimitsAre50Tracks20Albums50Artists() throws Exception {
        String token = token();
        assertThat(get("/v1/tracks?ids=" + repeatIds(TRACK_1, 50), token).statusCode()).isEqualTo(200);
        assertThat(get("/v1/albums?ids=" + repeatIds(ALBUM, 20), token).statusCode()).isEqualTo(200);
        assertThat(get("/v1/artists?ids=" + repeatIds(ARTIST_1, 50), token).statusCode()).isEqualTo(200);

        for (String path : List.of("/v1/tracks?ids=" + repeatIds(TRACK_1, 51), "/v1/albums?ids=" + repeatIds(ALBUM, 21),
                "/v1/artists?ids=" + repeatIds(ARTIST_1, 51))) {
            HttpResponse<String> response = get(path, token);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"status\":400,\"message\":\"Too many ids requested\"}}"));
        }
    }

    @Test
    void batchEndpointsForbiddenForDevelopmentModeApps() throws Exception {
        fake.batchEndpointsForbidden(true);
        String token = token();

        for (String path : List.of("/v1/tracks?ids=" + TRACK_1, "/v1/albums?ids=" + ALBUM, "/v1/artists?ids=" + ARTIST_1)) {
            HttpResponse<String> response = get(path, token);
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(JSON.readTree(response.body()))
                    .isEqualTo(JSON.readTree("{\"error\":{\"status\":403,\"message\":\"Forbidden\"}}"));
        }
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).as("single ids still work").isEqualTo(200);
        assertThat(get("/v1/search?q=never&type=track", token).statusCode()).isEqualTo(200);

        fake.batchEndpointsForbidden(false);
        assertThat(get("/v1/tracks?ids=" + TRACK_1, token).statusCode()).isEqualTo(200);
    }

    @Test
    void relinkedTrackCarriesTheOtherId() throws Exception {
        String requested = "1GtZ1X8y8lYfHdhd4dJ3hd";
        fake.relink(requested, TRACK_1);
        String token = token();

        HttpResponse<String> single = get("/v1/tracks/" + requested, token);
        assertThat(single.statusCode()).isEqualTo(200);
        JsonNode track = JSON.readTree(single.body());
        assertThat(track.get("id").asText()).isEqualTo(TRACK_1);
        assertThat(track.has("linked_from")).as("removed for Development Mode apps").isFalse();

        JsonNode batch = JSON.readTree(get("/v1/tracks?ids=" + requested + "," + TRACK_2, token).body()).get("tracks");
        assertThat(ids(batch)).containsExactly(TRACK_1, TRACK_2);
    }

    // --- scripted faults and latency ------------------------------------------------------------

    @Test
    void scriptedRateLimitHasRetryAfterAndSpotifyBody() throws Exception {
        String token = token();
        fake.failNext("/v1/tracks/", 2, 429, Map.of("Retry-After", "86400"),
                "{\"error\":{\"status\":429,\"message\":\"API rate limit exceeded\"}}");

        assertThat(get("/v1/tracks?ids=" + TRACK_1, token).statusCode()).as("batch path does not match").isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> limited = get("/v1/tracks/" + TRACK_1, token);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("86400");
            assertThat(errorOf(limited)).isEqualTo(Map.of("status", 429, "message", "API rate limit exceeded"));
        }
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).as("fault used up").isEqualTo(200);
    }

    @Test
    void convenienceRateLimitAndQuotaFaults() throws Exception {
        String token = token();
        fake.rateLimitNext("GET /v1/tracks/", 1, 30).quotaExceededNext("GET /v1/tracks/", 1, 74214);

        HttpResponse<String> rate = get("/v1/tracks/" + TRACK_1, token);
        assertThat(rate.statusCode()).isEqualTo(429);
        assertThat(rate.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(errorOf(rate)).doesNotContainKey("reason");

        HttpResponse<String> quota = get("/v1/tracks/" + TRACK_1, token);
        assertThat(quota.statusCode()).isEqualTo(429);
        assertThat(quota.headers().firstValue("Retry-After")).hasValue("74214");
        assertThat(JSON.readTree(quota.body())).isEqualTo(JSON.readTree(
                "{\"error\":{\"status\":429,\"message\":\"Too many requests\",\"reason\":\"QUOTA_EXCEEDED\"}}"));

        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).isEqualTo(200);
    }

    @Test
    void serverErrorStormThenRecovery() throws Exception {
        String token = token();
        fake.failNext("/v1/", 3, 503, Map.of(), null)
                .failNext("/v1/", 1, 502, Map.of("Content-Type", "text/html"), "<html>Bad Gateway</html>")
                .failNext("/v1/", 1, 500, Map.of(), null);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(get("/v1/artists/" + ARTIST_1, token).statusCode());
        }
        assertThat(statuses).containsExactly(503, 503, 503, 502, 500, 200);
        HttpResponse<String> again = get("/v1/artists/" + ARTIST_1, token);
        assertThat(again.statusCode()).isEqualTo(200);

        fake.failNext("/v1/", 1, 503, Map.of(), null);
        assertThat(errorOf(get("/v1/albums/" + ALBUM, token))).containsEntry("status", 503);
        fake.failNext("/v1/", 1, 502, Map.of("Content-Type", "text/html"), "<html>Bad Gateway</html>");
        HttpResponse<String> html = get("/v1/albums/" + ALBUM, token);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(html.body()).isEqualTo("<html>Bad Gateway</html>");
    }

    @Test
    void faultsCanHitTheTokenEndpoint() throws Exception {
        fake.failNext("POST /api/token", 1, 503, Map.of(), null);
        HttpResponse<String> failed = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                "grant_type=client_credentials");
        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(token()).isNotBlank();
        assertThat(fake.tokenRequests()).isEqualTo(2);
    }

    @Test
    void latencyDelaysEveryApiCallInParallel() throws Exception {
        String token = token();
        fake.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, 10)
                .mapToObj(i -> http.sendAsync(apiRequest("/v1/tracks/" + TRACK_1, token).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> future : futures) {
            assertThat(future.get().statusCode()).isEqualTo(200);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .as("served concurrently, not one after another").isLessThan(Duration.ofMillis(2500));

        start = System.nanoTime();
        token();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("token calls are not delayed")
                .isLessThan(Duration.ofMillis(300));
    }

    // --- search ---------------------------------------------------------------------------------

    @Test
    void searchReturnsPagingObjectOfFullTracks() throws Exception {
        HttpResponse<String> response = get("/v1/search?q=" + encode("track:\"never gonna\" artist:astley")
                + "&type=track&limit=10", token());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("tracks");
        JsonNode page = body.get("tracks");
        assertThat(fieldNames(page)).containsExactlyInAnyOrder("href", "items", "limit", "next", "offset", "previous", "total");
        assertThat(ids(page.get("items"))).containsExactly(TRACK_1);
        assertThat(page.get("items").get(0).get("album").get("id").asText()).isEqualTo(ALBUM);
        assertThat(page.get("limit").asInt()).isEqualTo(10);
        assertThat(page.get("offset").asInt()).isZero();
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(page.get("previous").isNull()).isTrue();
    }

    @Test
    void searchPagesWithDefaultLimitFive() throws Exception {
        for (int i = 0; i < 7; i++) {
            String id = "7" + String.format("%021d", i);
            fake.addTrack(id, "Song " + i, ALBUM_2, List.of(ARTIST_2), null);
        }
        String token = token();

        JsonNode first = JSON.readTree(get("/v1/search?q=song&type=track", token).body()).get("tracks");
        assertThat(first.get("limit").asInt()).isEqualTo(5);
        assertThat(first.get("items")).hasSize(5);
        assertThat(first.get("total").asInt()).isEqualTo(7);
        String next = first.get("next").asText();
        assertThat(next).startsWith(fake.baseUrl() + "/v1/search?offset=5&limit=5");

        JsonNode second = JSON.readTree(get(next.substring(fake.baseUrl().length()), token).body()).get("tracks");
        assertThat(second.get("items")).hasSize(2);
        assertThat(second.get("items").get(0).get("name").asText()).isEqualTo("Song 5");
        assertThat(second.get("next").isNull()).isTrue();
        assertThat(second.get("previous").asText()).contains("offset=0");

        JsonNode byArtistWord = JSON.readTree(get("/v1/search?q=weeknd+blinding&type=track", token).body()).get("tracks");
        assertThat(ids(byArtistWord.get("items"))).containsExactly(TRACK_3);
        JsonNode byIsrc = JSON.readTree(get("/v1/search?q=isrc:GBARL8700011&type=track", token).body()).get("tracks");
        assertThat(ids(byIsrc.get("items"))).containsExactly(TRACK_2);
        JsonNode none = JSON.readTree(get("/v1/search?q=nothing+matches&type=track", token).body()).get("tracks");
        assertThat(none.get("items")).isEmpty();
        assertThat(none.get("total").asInt()).isZero();
    }

    @Test
    void searchAlbumsAndArtists() throws Exception {
        JsonNode body = JSON.readTree(get("/v1/search?q=" + encode("artist:astley") + "&type=album,artist", token()).body());
        assertThat(ids(body.get("albums").get("items"))).containsExactly(ALBUM);
        assertThat(ids(body.get("artists").get("items"))).containsExactly(ARTIST_1);
        assertThat(body.has("tracks")).isFalse();
        JsonNode byYear = JSON.readTree(get("/v1/search?q=year:2019-2020&type=album", token()).body());
        assertThat(ids(byYear.get("albums").get("items"))).containsExactly(ALBUM_2);
    }

    @Test
    void searchRejectsLimitAboveTenAndBadParameters() throws Exception {
        String token = token();
        HttpResponse<String> tooMany = get("/v1/search?q=never&type=track&limit=11", token);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooMany.body()))
                .isEqualTo(JSON.readTree("{\"error\":{\"status\":400,\"message\":\"Invalid limit\"}}"));
        assertThat(get("/v1/search?q=never&type=track&limit=50", token).statusCode()).isEqualTo(400);
        assertThat(get("/v1/search?q=never&type=track&limit=10", token).statusCode()).isEqualTo(200);

        assertThat(errorOf(get("/v1/search?type=track", token)).get("message")).isEqualTo("No search query");
        assertThat(errorOf(get("/v1/search?q=never", token)).get("message")).isEqualTo("Missing parameter type");
        assertThat(get("/v1/search?q=never&type=podcast", token).statusCode()).isEqualTo(400);
        assertThat(get("/v1/search?q=never&type=track&offset=1001", token).statusCode()).isEqualTo(400);
    }

    // --- introspection --------------------------------------------------------------------------

    @Test
    void callsCountByMethodAndPathPrefix() throws Exception {
        String token = token();
        get("/v1/tracks?ids=" + TRACK_1 + "," + TRACK_2, token);
        get("/v1/tracks/" + TRACK_1, token);
        get("/v1/tracks/" + TRACK_2, token);
        get("/v1/tracks/" + TRACK_2, "BQwrong");
        get("/v1/artists/" + ARTIST_1, token);

        assertThat(fake.calls("GET /v1/tracks?")).isEqualTo(1);
        assertThat(fake.calls("GET /v1/tracks/")).as("failed calls count too").isEqualTo(3);
        assertThat(fake.calls("GET /v1/tracks/" + TRACK_2)).isEqualTo(2);
        assertThat(fake.calls("/v1/tracks")).as("path-only prefix ignores the method").isEqualTo(4);
        assertThat(fake.calls("GET /v1/")).isEqualTo(5);
        assertThat(fake.calls("POST /v1/")).isZero();
        assertThat(fake.calls("POST /api/token")).isEqualTo(1);
        assertThat(fake.tokenRequests()).isEqualTo(1);

        List<String> log = fake.requestLog();
        assertThat(log).containsExactly("POST /api/token", "GET /v1/tracks?ids=" + TRACK_1 + "," + TRACK_2,
                "GET /v1/tracks/" + TRACK_1, "GET /v1/tracks/" + TRACK_2, "GET /v1/tracks/" + TRACK_2,
                "GET /v1/artists/" + ARTIST_1);
        assertThat(String.join("\n", log)).doesNotContain(token).doesNotContain("Bearer").doesNotContain("BQwrong");

        fake.resetCounters();
        assertThat(fake.calls("GET /v1/")).isZero();
        assertThat(fake.requestLog()).isEmpty();
        assertThat(fake.tokenRequests()).isZero();
        assertThat(get("/v1/tracks/" + TRACK_1, token).statusCode()).as("tokens survive a reset").isEqualTo(200);
    }

    @Test
    void unknownEndpointsAndMethods() throws Exception {
        String token = token();
        HttpResponse<String> unknown = get("/v1/artists/" + ARTIST_1 + "/top-tracks", token);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorOf(unknown).get("message")).isEqualTo("Service not found");

        HttpResponse<String> post = send(apiRequest("/v1/tracks/" + TRACK_1, token).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void concurrentCallsAreAllServedAndCounted() throws Exception {
        String token = token();
        List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, 200)
                .mapToObj(i -> http.sendAsync(apiRequest(i % 2 == 0 ? "/v1/tracks/" + TRACK_1 : "/v1/tracks?ids=" + TRACK_2, token)
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> future : futures) {
            assertThat(future.get().statusCode()).isEqualTo(200);
        }
        assertThat(fake.calls("GET /v1/tracks/")).isEqualTo(100);
        assertThat(fake.calls("GET /v1/tracks?")).isEqualTo(100);
    }

    // --- helpers --------------------------------------------------------------------------------

    private String token() throws Exception {
        HttpResponse<String> response = tokenRequest(FakeSpotify.DEFAULT_CLIENT_ID, FakeSpotify.DEFAULT_CLIENT_SECRET,
                "grant_type=client_credentials");
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String form) throws Exception {
        return tokenRequest(id, secret, form, fake);
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String form, FakeSpotify target) throws Exception {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(target.baseUrl() + "/api/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpRequest.Builder apiRequest(String pathAndQuery, String token) {
        return HttpRequest.newBuilder(URI.create(fake.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        return send(apiRequest(pathAndQuery, token).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The inner object of a Web API error body, asserting the envelope on the way. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> errorOf(HttpResponse<String> response) throws IOException {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("error");
        assertThat(body.get("error").get("status").asInt()).isEqualTo(response.statusCode());
        return JSON.convertValue(body.get("error"), Map.class);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static String repeatIds(String id, int count) {
        return IntStream.range(0, count).mapToObj(i -> id).collect(Collectors.joining(","));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
