package dev.encore.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.EncoreApp;
import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.spotify.FakeSpotify;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real application on H2 or PostgreSQL, with the fake Spotify as its accounts service and Web
 * API, a test clock, and its own key file (H2) or ENCORE_SECRET_KEY (PostgreSQL). A "browser" here
 * is {@link Browser}: an HTTP client that keeps cookies per host and follows no redirect by itself.
 */
final class ConnectFixture implements AutoCloseable {
    static final String SPOTIFY_USER = "31erinek";
    static final String DISPLAY_NAME = "Erin <b>Ek</b> & co";
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeSpotify fake;
    final TestDatabase db;
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    final Path dir;
    final int port;
    final Map<String, String> settings = new HashMap<>();
    EncoreApp app;

    private ConnectFixture(String kind, Map<String, String> extra) throws Exception {
        fake = FakeSpotify.start();
        db = TestDatabases.create(kind);
        dir = Files.createTempDirectory("encore-connect");
        port = EncoreApp.freePort();
        fake.registerRedirectUri(redirectUri()).addUser(SPOTIFY_USER, DISPLAY_NAME);
        settings.put("camel.server.port", Integer.toString(port));
        settings.put("encore.local.enabled", "false");
        settings.put("encore.enrich.scheduled", "false");
        settings.put("encore.spotify.client-id", FakeSpotify.DEFAULT_CLIENT_ID);
        settings.put("encore.spotify.client-secret", FakeSpotify.DEFAULT_CLIENT_SECRET);
        settings.put("encore.spotify.accounts-base-url", fake.baseUrl());
        settings.put("encore.spotify.api-base-url", fake.baseUrl());
        // encore.spotify.redirect-uri is left to its default, which follows the port: redirectUri()
        settings.put("encore.secret-key-file", keyFile().toString());
        if (!kind.equals("h2")) {
            settings.put("encore.secret-key", java.util.Base64.getEncoder().encodeToString(new byte[] {
                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                    28, 29, 30, 31, 32}));
        }
        settings.putAll(extra);
        start();
    }

    static ConnectFixture on(String kind) throws Exception {
        return new ConnectFixture(kind, Map.of());
    }

    static ConnectFixture on(String kind, Map<String, String> extra) throws Exception {
        return new ConnectFixture(kind, extra);
    }

    String redirectUri() {
        return "http://127.0.0.1:" + port + "/callback";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path keyFile() {
        return dir.resolve("data").resolve("encore.key");
    }

    void start() throws Exception {
        app = EncoreApp.start(db.url(), db.user(), settings, Map.of("encoreClock", clock));
    }

    void restart() throws Exception {
        app.close();
        start();
    }

    long count(String sql, Object... parameters) {
        return db.count(sql, parameters);
    }

    UserTokens tokens() {
        return app.camel().getRegistry().lookupByNameAndType("userTokens", UserTokens.class);
    }

    /** Every value of every row of the table, as text: what a look into the database would show. */
    String tableText(String table) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    out.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append('\n');
                }
            }
        }
        return out.toString();
    }

    Optional<Map<String, String>> connectionRow(String user) throws SQLException {
        try (Connection c = db.connect();
             var ps = c.prepareStatement("SELECT * FROM spotify_connection WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT), rs.getString(i));
                }
                return Optional.of(row);
            }
        }
    }

    JsonNode users() throws IOException, InterruptedException {
        HttpResponse<String> r = new Browser().get(baseUrl() + "/api/users");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/api/users answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode userEntry(String user) throws IOException, InterruptedException {
        for (JsonNode u : users().path("users")) {
            if (u.path("user").asText().equals(user)) {
                return u;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        fake.close();
        db.close();
    }

    /** A browser without JavaScript: keeps the cookies each host sets, follows redirects only when told. */
    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        final Map<String, Map<String, String>> cookies = new HashMap<>();
        final List<HttpResponse<String>> trail = new ArrayList<>();

        HttpResponse<String> get(String url) throws IOException, InterruptedException {
            URI uri = URI.create(url);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
            Map<String, String> jar = cookies.getOrDefault(uri.getHost() + ":" + uri.getPort(), Map.of());
            if (!jar.isEmpty()) {
                b.header("Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : r.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.computeIfAbsent(uri.getHost() + ":" + uri.getPort(), h -> new HashMap<>())
                        .put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            trail.add(r);
            return r;
        }

        /** Opens {@code connectUrl} and Spotify's /authorize: the callback address Spotify sends this browser back to. */
        String callbackFor(String connectUrl) throws IOException, InterruptedException {
            return location(get(location(get(connectUrl))));
        }

        /** Follows redirects (at most 10) from {@code url}; the last answer. */
        HttpResponse<String> follow(String url) throws IOException, InterruptedException {
            HttpResponse<String> r = get(url);
            for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) {
                r = get(location(r));
            }
            return r;
        }

        static String location(HttpResponse<String> r) {
            return r.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location: " + r));
        }
    }
}
