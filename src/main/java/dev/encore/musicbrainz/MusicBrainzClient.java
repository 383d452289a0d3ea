package dev.encore.musicbrainz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The two MusicBrainz web service calls genres need, at most one per second from this process
 * and with a User-Agent that names Encore, as MusicBrainz asks of every client
 * (musicbrainz.org/doc/MusicBrainz_API/Rate_Limiting); it blocks callers who do neither.
 */
public final class MusicBrainzClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String userAgent;
    private final Duration spacing;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private long lastCallNanos = System.nanoTime() - Duration.ofHours(1).toNanos();
    private int calls;

    public MusicBrainzClient(String baseUrl, String userAgent, Duration spacing) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.userAgent = userAgent;
        this.spacing = spacing;
    }

    /** {@code /ws/2/isrc/{isrc}?inc=artist-credits}: the recordings with this ISRC; null when MusicBrainz has none. */
    public JsonNode recordingsByIsrc(String isrc) throws IOException, InterruptedException {
        return get("/ws/2/isrc/" + URLEncoder.encode(isrc, StandardCharsets.UTF_8) + "?inc=artist-credits&fmt=json");
    }

    /** {@code /ws/2/artist/{mbid}?inc=genres+tags}; null when unknown. */
    public JsonNode artist(String mbid) throws IOException, InterruptedException {
        return get("/ws/2/artist/" + URLEncoder.encode(mbid, StandardCharsets.UTF_8) + "?inc=genres+tags&fmt=json");
    }

    public synchronized int calls() {
        return calls;
    }

    private synchronized JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        long wait = lastCallNanos + spacing.toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        lastCallNanos = System.nanoTime();
        calls++;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("User-Agent", userAgent).header("Accept", "application/json")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("MusicBrainz answered HTTP " + response.statusCode() + " to " + pathAndQuery);
        }
        return JSON.readTree(response.body());
    }
}
