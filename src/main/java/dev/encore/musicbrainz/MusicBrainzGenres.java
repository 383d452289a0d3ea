package dev.encore.musicbrainz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.spotify.NameMatcher;
import dev.encore.store.CatalogueStore;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the genres route (routes/genres.camel.yaml), for the artists Spotify sends no genres
 * for (most apps get none since 2026): one of the artist's tracks' ISRC leads to the MusicBrainz
 * recording, its credits to the artist of the same name, and that artist's genres (or, lacking
 * those, its top tags) are stored with {@code source = 'musicbrainz'}. Each Spotify artist is looked
 * up once, found or not. The calls themselves are camel-http, throttled in the route.
 */
public final class MusicBrainzGenres {
    private static final Logger LOG = LoggerFactory.getLogger(MusicBrainzGenres.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TAGS = 5;
    /** Exchange properties: the artist looked up, and the MusicBrainz artist its credits name. */
    static final String ARTIST = "EncoreArtist";
    static final String MBID = "EncoreMbid";

    private final CatalogueStore store;

    public MusicBrainzGenres(CatalogueStore store) {
        this.store = store;
    }

    /** One run's state: MusicBrainz stays available until a call fails; the rest then wait for the next run. */
    public static final class GenreRun {
        private final int artists;
        private volatile boolean available = true;

        GenreRun(int artists) {
            this.artists = artists;
        }

        public boolean isAvailable() {
            return available;
        }
    }

    public GenreRun startRun(List<?> artists) {
        if (!artists.isEmpty()) {
            LOG.info("{} artist(s) without genres to look up on MusicBrainz (1 request/s)", artists.size());
        }
        return new GenreRun(artists.size());
    }

    /** {@code /ws/2/isrc/{isrc}?inc=artist-credits}: the recordings with the artist's track's ISRC. */
    public void recordingLookup(Exchange exchange) {
        Map<?, ?> artist = exchange.getMessage().getBody(Map.class);
        exchange.setProperty(ARTIST, artist);
        call(exchange.getMessage(), "/ws/2/isrc/" + encode((String) artist.get("isrc")), "inc=artist-credits&fmt=json");
    }

    /** {@code /ws/2/artist/{mbid}?inc=genres+tags}: the credited artist's genres and tags. */
    public void artistLookup(Exchange exchange) {
        call(exchange.getMessage(), "/ws/2/artist/" + encode(exchange.getProperty(MBID, String.class)), "inc=genres+tags&fmt=json");
    }

    /** The answer of a call: JSON, or null for a 404 (MusicBrainz knows no such thing); anything else fails the call. */
    public JsonNode answer(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (status == 404) {
            return null;
        }
        if (status != 200) {
            throw new IOException("MusicBrainz answered HTTP " + status + " to " + path);
        }
        String body = in.getBody(String.class);
        return body == null || body.isBlank() ? null : JSON.readTree(body); // an empty answer knows nothing
    }

    /** Picks, from the recordings' credits, the artist whose name is the Spotify artist's. */
    public void creditedArtist(Exchange exchange) {
        JsonNode found = exchange.getMessage().getBody(JsonNode.class);
        String name = NameMatcher.normalise((String) exchange.getProperty(ARTIST, Map.class).get("name"));
        for (JsonNode recording : found == null ? JSON.createArrayNode() : found.path("recordings")) {
            for (JsonNode credit : recording.path("artist-credit")) {
                JsonNode artist = credit.path("artist");
                if (name.equals(NameMatcher.normalise(artist.path("name").asText("")))
                        || name.equals(NameMatcher.normalise(credit.path("name").asText("")))) {
                    exchange.setProperty(MBID, artist.path("id").asText(null));
                    return;
                }
            }
        }
    }

    /** Stores what MusicBrainz said about the artist: its MBID (or none) and its genres. */
    public void save(Exchange exchange) throws SQLException {
        String mbid = exchange.getProperty(MBID, String.class);
        List<String> genres = mbid == null ? List.of() : genresOf(exchange.getMessage().getBody(JsonNode.class));
        store.saveMusicBrainzGenres((String) exchange.getProperty(ARTIST, Map.class).get("artist_id"), mbid, genres);
    }

    /** A failed call: no more calls this run. */
    public void standDown(Exchange exchange, GenreRun run) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        run.available = false;
        int index = exchange.getProperty(Exchange.SPLIT_INDEX, 0, Integer.class);
        LOG.warn("MusicBrainz failed ({}); the remaining {} artist(s) wait for the next run",
                e == null ? "?" : e.getMessage(), run.artists - index);
    }

    private static void call(Message in, String path, String query) {
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, path);
        in.setHeader(Exchange.HTTP_QUERY, query);
        in.setBody(null);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** MusicBrainz's curated genres; when it has none, the most voted folksonomy tags. */
    private static List<String> genresOf(JsonNode artist) {
        List<String> names = new ArrayList<>();
        if (artist == null) {
            return names;
        }
        artist.path("genres").forEach(g -> names.add(g.path("name").asText()));
        if (names.isEmpty()) {
            List<JsonNode> tags = new ArrayList<>();
            artist.path("tags").forEach(t -> {
                if (t.path("count").asInt() > 0) {
                    tags.add(t);
                }
            });
            tags.sort((x, y) -> Integer.compare(y.path("count").asInt(), x.path("count").asInt()));
            tags.stream().limit(MAX_TAGS).forEach(t -> names.add(t.path("name").asText()));
        }
        return names;
    }
}
