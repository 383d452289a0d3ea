package dev.encore.musicbrainz;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-test MusicBrainz web service (ws/2, JSON): ISRC lookups with artist credits and artist
 * lookups with genres and tags, shaped like the real answers, 404 with MusicBrainz's error body for
 * anything unknown. It records every request's time and User-Agent, to check Encore's manners.
 */
public final class FakeMusicBrainz implements AutoCloseable {
    /** One request: when it arrived (System.nanoTime), what it asked, and who said they were asking. */
    public record Request(long nanos, String pathAndQuery, String userAgent) {
    }

    private final HttpServer server;
    private final Map<String, String> isrcs = new ConcurrentHashMap<>();
    private final Map<String, String> artists = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int unavailableStatus;

    private FakeMusicBrainz(HttpServer server) {
        this.server = server;
    }

    public static FakeMusicBrainz start() throws IOException {
        FakeMusicBrainz fake = new FakeMusicBrainz(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        fake.server.createContext("/ws/2/", fake::handle);
        fake.server.start();
        return fake;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A recording with this ISRC, credited to the given MusicBrainz artists (id, name), in order. */
    public FakeMusicBrainz recording(String isrc, String title, List<Map.Entry<String, String>> credits) {
        StringBuilder credit = new StringBuilder();
        for (int i = 0; i < credits.size(); i++) {
            var c = credits.get(i);
            credit.append(i == 0 ? "" : ",").append("{\"name\":\"").append(c.getValue()).append("\",\"joinphrase\":\"")
                    .append(i == credits.size() - 1 ? "" : " & ").append("\",\"artist\":{\"id\":\"").append(c.getKey())
                    .append("\",\"name\":\"").append(c.getValue()).append("\",\"sort-name\":\"").append(c.getValue())
                    .append("\",\"disambiguation\":\"\",\"type\":null}}");
        }
        isrcs.put(isrc, "{\"isrc\":\"" + isrc + "\",\"recordings\":[{\"id\":\"rec-" + isrc + "\",\"title\":\"" + title
                + "\",\"length\":210000,\"disambiguation\":\"\",\"video\":false,\"artist-credit\":[" + credit + "]}]}");
        return this;
    }

    /** An artist with curated genres and folksonomy tags ({name: count}). */
    public FakeMusicBrainz artist(String mbid, String name, Map<String, Integer> genres, Map<String, Integer> tags) {
        artists.put(mbid, "{\"id\":\"" + mbid + "\",\"name\":\"" + name + "\",\"type\":\"Person\",\"genres\":" + list(genres)
                + ",\"tags\":" + list(tags) + "}");
        return this;
    }

    /** Every request answers this status (503: MusicBrainz's answer when it sheds load) with its error JSON; 0 heals. */
    public FakeMusicBrainz unavailable(int status) {
        unavailableStatus = status;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private static String list(Map<String, Integer> counts) {
        StringBuilder s = new StringBuilder("[");
        counts.forEach((n, c) -> s.append(s.length() > 1 ? "," : "").append("{\"name\":\"").append(n)
                .append("\",\"count\":").append(c).append(",\"disambiguation\":\"\"}"));
        return s.append(']').toString();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(System.nanoTime(), path + "?" + ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders().getFirst("User-Agent")));
        String body = null;
        if (unavailableStatus != 0) {
            byte[] bytes = ("{\"error\":\"Your requests are exceeding the allowable rate limit. Please see "
                    + "http://wiki.musicbrainz.org/XMLWebService for more information.\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(unavailableStatus, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (path.startsWith("/ws/2/isrc/")) {
            body = isrcs.get(path.substring("/ws/2/isrc/".length()));
        } else if (path.startsWith("/ws/2/artist/")) {
            body = artists.get(path.substring("/ws/2/artist/".length()));
        }
        int status = body == null ? 404 : 200;
        byte[] bytes = (body == null ? "{\"error\":\"Not Found\",\"help\":\"For usage, please see: https://musicbrainz.org/development/mmd\"}"
                : body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
