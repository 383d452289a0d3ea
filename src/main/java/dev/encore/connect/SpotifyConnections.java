package dev.encore.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.spotify.SpotifyUnavailableException;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected Spotify accounts ({@code spotify_connection}) and their access tokens: the token
 * store the hourly extraction calls ({@link UserTokens}), which the connect flow fills.
 * <p>
 * An access token is kept in memory per user and renewed 60 s before it expires, from the
 * refresh token read from the database at that moment (another replica may have rotated it).
 * The refresh is a plain {@link HttpClient} call, not a Camel route: it is called from Java
 * (the extraction's beans), and outside Camel no exchange, message history or error handler can
 * ever carry the refresh token into a log line (docs/connect.md).
 */
public final class SpotifyConnections implements UserTokens {
    private static final Logger LOG = LoggerFactory.getLogger(SpotifyConnections.class);
    /** Renew this long before Spotify's expiry, so no call leaves with a token about to die. */
    private static final Duration MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONNECTED = "connected";
    static final String RECONNECT = "reconnect";

    private final DataSource dataSource;
    private final ImportStore appUsers;
    private final TokenCipher cipher;
    private final URI tokenUri;
    private final String clientId;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private record Cached(String accessToken, Instant expiresAt) {
    }

    /**
     * What the API shows of a connection: never a token. {@code status} is connected or
     * needs_reconnect; the times are ISO-8601 UTC instants (reconnect_since null while connected).
     */
    public record ConnectionStatus(String status, String spotifyUser, String displayName, List<String> scopes,
            String connectedAt, String reconnectSince, String reconnectReason) {
    }

    /** What a finished authorization brought: the tokens and whose account they open. */
    public record Grant(String spotifyUserId, String displayName, String scopes, String accessToken,
            String refreshToken, long expiresInSeconds) {
        @Override
        public String toString() { // a record would print its tokens
            return "Grant[" + spotifyUserId + ", scopes " + scopes + "]";
        }
    }

    public SpotifyConnections(DataSource dataSource, TokenCipher cipher, String accountsBaseUrl, String clientId,
            Clock clock) {
        this.dataSource = dataSource;
        this.appUsers = new ImportStore(dataSource);
        this.cipher = cipher;
        this.tokenUri = URI.create(accountsBaseUrl.replaceAll("/+$", "") + "/api/token");
        this.clientId = clientId;
        this.clock = clock;
    }

    @Override
    public List<String> connectedUsers() throws SQLException {
        List<String> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT user_id FROM spotify_connection WHERE status = ? ORDER BY user_id")) {
            ps.setString(1, CONNECTED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    users.add(rs.getString(1));
                }
            }
        }
        return users;
    }

    @Override
    public String bearer(String user) throws ReconnectNeededException, SpotifyUnavailableException, SQLException,
            InterruptedException {
        synchronized (locks.computeIfAbsent(user, u -> new Object())) {
            Cached cached = cache.get(user);
            if (cached != null && clock.instant().isBefore(cached.expiresAt.minus(MARGIN))) {
                return "Bearer " + cached.accessToken;
            }
            Stored stored = stored(user);
            // a second try only when another replica rotated the refresh token between our read and our refresh
            for (int attempt = 0; ; attempt++) {
                if (stored == null) {
                    throw new ReconnectNeededException(user, "no Spotify account is connected");
                }
                if (stored.status.equals(RECONNECT)) {
                    throw new ReconnectNeededException(user, stored.reason);
                }
                String refreshToken = cipher.decrypt(user, stored.ciphertext);
                JsonNode answer = refresh(user, refreshToken);
                if (answer.hasNonNull("access_token")) {
                    return "Bearer " + renewed(user, stored.ciphertext, answer);
                }
                String description = answer.path("error_description").asText("the refresh token was refused");
                Stored now = stored(user);
                if (attempt == 0 && now != null && !now.ciphertext.equals(stored.ciphertext)) {
                    stored = now;
                    continue;
                }
                if (!markReconnect(user, stored.ciphertext, description) && now != null && now.status.equals(CONNECTED)) {
                    // the user connected again while this refresh was refused: that new connection is not dead
                    throw new SpotifyUnavailableException("The Spotify connection of " + user
                            + " changed while its access was renewed; the next call uses the new one");
                }
                throw new ReconnectNeededException(user, description);
            }
        }
    }

    @Override
    public void invalidate(String user) {
        cache.remove(user);
    }

    /** Stores a new connection (or replaces the user's earlier one, also one marked "reconnect"). */
    public void save(String user, Grant grant) throws SQLException {
        String encrypted = cipher.encrypt(user, grant.refreshToken());
        Instant now = clock.instant();
        appUsers.ensureUser(user); // a listener may connect before any export of theirs arrives
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM spotify_connection WHERE user_id = ?")) {
                    ps.setString(1, user);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO spotify_connection (user_id, "
                        + "spotify_user_id, spotify_display_name, scopes, refresh_token, status, connected_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, user);
                    ps.setString(2, grant.spotifyUserId());
                    ps.setString(3, grant.displayName());
                    ps.setString(4, grant.scopes());
                    ps.setString(5, encrypted);
                    ps.setString(6, CONNECTED);
                    ps.setObject(7, Database.utc(now));
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        cache.put(user, new Cached(grant.accessToken(), now.plusSeconds(grant.expiresInSeconds())));
        LOG.info("Connected Spotify account {} to Encore user {}", grant.spotifyUserId(), user);
    }

    /** Forgets the user's connection and cached token; false when there was none. */
    public boolean disconnect(String user) throws SQLException {
        cache.remove(user);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM spotify_connection WHERE user_id = ?")) {
            ps.setString(1, user);
            boolean removed = ps.executeUpdate() > 0;
            if (removed) {
                LOG.info("Disconnected the Spotify account of Encore user {}", user);
            }
            return removed;
        }
    }

    /** Every user's connection, by user id. */
    public Map<String, ConnectionStatus> statuses() throws SQLException {
        Map<String, ConnectionStatus> all = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, status, spotify_user_id, spotify_display_name, "
                     + "scopes, connected_at, reconnect_since, reconnect_reason FROM spotify_connection ORDER BY user_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                boolean connected = CONNECTED.equals(rs.getString(2));
                all.put(rs.getString(1), new ConnectionStatus(connected ? "connected" : "needs_reconnect",
                        rs.getString(3), rs.getString(4), scopes(rs.getString(5)),
                        text(Database.instant(rs, 6)), text(Database.instant(rs, 7)), rs.getString(8)));
            }
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------

    private record Stored(String ciphertext, String status, String reason) {
    }

    private Stored stored(String user) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT refresh_token, status, reconnect_reason FROM spotify_connection WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    /** Spotify's answer to a refresh: the access token, or an accounts error ({@code error}, {@code error_description}). */
    private JsonNode refresh(String user, String refreshToken) throws SpotifyUnavailableException, InterruptedException {
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response;
        try {
            response = dev.encore.spotify.AccountsHttp.client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the JDK's messages name the host at most; the request body is never in them
            throw new SpotifyUnavailableException("The Spotify accounts service could not be reached to renew the access of "
                    + user + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status == 200 && body.hasNonNull("access_token")) {
            return body;
        }
        if (status == 400 && "invalid_grant".equals(body.path("error").asText())) {
            return body;
        }
        // error and error_description are Spotify's fixed texts; the answer never echoes the token
        throw new SpotifyUnavailableException("Spotify did not renew the access of " + user + " (HTTP " + status
                + (body.has("error") ? " " + body.path("error").asText() + ": " + body.path("error_description").asText("") : "")
                + ")");
    }

    private String renewed(String user, String oldCiphertext, JsonNode answer) throws SQLException {
        Instant now = clock.instant();
        String accessToken = answer.get("access_token").asText();
        try (Connection c = dataSource.getConnection()) {
            if (answer.hasNonNull("refresh_token")) {
                // Spotify rotated it: the new one replaces the one we used, unless the row changed meanwhile
                // (the user connected again): then that newer connection stays
                try (PreparedStatement ps = c.prepareStatement("UPDATE spotify_connection SET refresh_token = ?, "
                        + "refreshed_at = ? WHERE user_id = ? AND refresh_token = ?")) {
                    ps.setString(1, cipher.encrypt(user, answer.get("refresh_token").asText()));
                    ps.setObject(2, Database.utc(now));
                    ps.setString(3, user);
                    ps.setString(4, oldCiphertext);
                    if (ps.executeUpdate() == 0) {
                        LOG.info("The Spotify connection of {} changed while its access was renewed; the newer one is kept", user);
                    }
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE spotify_connection SET refreshed_at = ? WHERE user_id = ?")) {
                    ps.setObject(1, Database.utc(now));
                    ps.setString(2, user);
                    ps.executeUpdate();
                }
            }
        }
        cache.put(user, new Cached(accessToken, now.plusSeconds(answer.path("expires_in").asLong(3600))));
        return accessToken;
    }

    /** False when the row no longer holds {@code ciphertext} (or is gone, or already marked). */
    private boolean markReconnect(String user, String ciphertext, String reason) throws SQLException {
        cache.remove(user);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE spotify_connection SET status = ?, reconnect_since = ?, "
                     + "reconnect_reason = ? WHERE user_id = ? AND refresh_token = ? AND status = ?")) {
            ps.setString(1, RECONNECT);
            ps.setObject(2, Database.utc(clock.instant()));
            ps.setString(3, reason.length() > 500 ? reason.substring(0, 500) : reason);
            ps.setString(4, user);
            ps.setString(5, ciphertext);
            ps.setString(6, CONNECTED);
            if (ps.executeUpdate() > 0) {
                LOG.warn("Spotify no longer renews the access of {} ({}): marked 'needs to reconnect'; the hourly "
                        + "extraction skips them until they connect again", user, reason);
                return true;
            }
            return false;
        }
    }


    private static List<String> scopes(String spaceSeparated) {
        return spaceSeparated.isBlank() ? List.of() : Arrays.asList(spaceSeparated.trim().split("\\s+"));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
