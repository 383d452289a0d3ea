package dev.encore.connect;

import dev.encore.access.Secrets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.access.Caller;
import dev.encore.intake.SourceUsers;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code routes/connect.camel.yaml}: the Authorization Code flow with PKCE (S256)
 * and a {@code state} bound to the browser's session cookie (docs/connect.md).
 * <ol>
 *   <li>{@link #start}: {@code GET /connect?user=NAME} stores the pending authorization and sends
 *       the browser to Spotify's {@code /authorize};</li>
 *   <li>{@link #callback}: checks what Spotify sent back and prepares the code exchange, which the
 *       route makes with camel-http;</li>
 *   <li>{@link #tokenAnswer}: reads Spotify's tokens and prepares {@code GET /v1/me};</li>
 *   <li>{@link #connected}: stores the connection and answers the success page.</li>
 * </ol>
 * Anything that goes wrong is a {@link ConnectFailure}, whose page {@link #failure} writes.
 */
public final class ConnectFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectFlow.class);
    /** The session cookie's name; its value reaches the routes only as {@link #SESSION_HEADER}. */
    public static final String COOKIE = "encore_session";
    /** The header the HTTP server puts the session cookie's value in (and nothing else of the Cookie header). */
    public static final String SESSION_HEADER = "EncoreSessionCookie";
    /** What the hourly extraction reads (reference/spotify.md 2.4). */
    public static final List<String> SCOPES = List.of("user-read-recently-played", "user-top-read",
            "playlist-read-private", "playlist-read-collaborative", "user-library-read");
    /** How long a started authorization may take. */
    static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String USER = "EncoreConnectUser";
    private static final String GRANT = "EncoreConnectGrant";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SpotifyConnections connections;
    private final PendingAuthorizations pending;
    private final TokenCipher cipher;
    private final String clientId;
    private final String authorizeUrl;
    private final String redirectUri;
    private final Clock clock;

    public ConnectFlow(SpotifyConnections connections, javax.sql.DataSource dataSource, TokenCipher cipher,
            String clientId, String accountsBaseUrl, String redirectUri, Clock clock) {
        this.connections = connections;
        this.pending = new PendingAuthorizations(dataSource);
        this.cipher = cipher;
        this.clientId = clientId;
        this.authorizeUrl = accountsBaseUrl.replaceAll("/+$", "") + "/authorize";
        this.redirectUri = redirectUri;
        this.clock = clock;
    }

    /** The callback's path on this server, from {@code encore.spotify.redirect-uri}. */
    public static String callbackPath(String redirectUri) {
        URI uri = URI.create(redirectUri);
        if (uri.getScheme() == null || uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawQuery() != null) {
            throw new IllegalStateException("encore.spotify.redirect-uri must be an http(s) address with a path and "
                    + "no query, such as http://127.0.0.1:8080/callback, not '" + redirectUri + "'");
        }
        return uri.getRawPath();
    }

    // ------------------------------------------------------------------------------------------
    // GET /connect?user=NAME

    public void start(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        Caller caller = in.getHeader(Caller.HEADER, Caller.class);
        String user = query(in).get("user");
        if ((user == null || user.isEmpty()) && caller != null && caller.user() != null) {
            user = caller.user(); // a signed-in person connects their own account
        }
        if (caller == null || (SourceUsers.isValid(user) && !caller.maySee(user))) {
            // the same page for every name that is not theirs, whether such a user exists or not
            throw new ConnectFailure(404, "Not yours to connect",
                    "You can connect a Spotify account to your own Encore user only.",
                    "Press Connect Spotify on your dashboard; an admin can connect anyone's.");
        }
        exchange.setProperty(USER, SourceUsers.isValid(user) ? user : null);
        if (!SourceUsers.isValid(user)) {
            throw new ConnectFailure(400, "Not an Encore user name",
                    user == null || user.isEmpty() ? "The address names no user (/connect?user=NAME)."
                            : "'" + user + "' is not a valid Encore user name.",
                    "Pick the listener on the dashboard and press Connect Spotify; a name is 1-100 letters, digits, "
                            + "'.', '_', '@' or '-', starting with a letter or digit.");
        }
        if (clientId.isEmpty()) {
            throw new ConnectFailure(503, "Spotify is not set up for this Encore",
                    "Encore has no Spotify client id, so it cannot ask Spotify for access.",
                    "Register an app at developer.spotify.com with the redirect URI " + redirectUri
                            + ", set ENCORE_SPOTIFY_CLIENT_ID to its client id and restart Encore.");
        }
        try {
            cipher.requireKey();
        } catch (TokenCipher.KeyUnavailableException e) {
            throw new ConnectFailure(503, "Encore cannot store Spotify tokens yet", e.getMessage(),
                    "Connecting is refused until then; export intake and the dashboard work as before.");
        }
        String here = in.getHeader(Exchange.HTTP_URL, String.class);
        if (here != null && !sameOrigin(here, redirectUri)) {
            // Spotify returns the browser to the redirect URI's host: the session cookie must be set for that host
            redirect(in, origin(redirectUri) + "/connect?user=" + encode(user), null);
            return;
        }
        String session = in.getHeader(SESSION_HEADER, String.class);
        String newCookie = null;
        if (session == null || !SESSION_ID.matcher(session).matches()) {
            session = Secrets.random(32);
            newCookie = COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Lax"
                    + (redirectUri.startsWith("https:") ? "; Secure" : "");
        }
        String state = Secrets.random(32);
        String verifier = Pkce.verifier();
        Instant now = clock.instant();
        pending.deleteOlderThan(now.minus(STATE_LIFETIME));
        pending.add(state, Secrets.sha256(session), user, cipher.encrypt(user, verifier), now);
        redirect(in, authorizeUrl + "?response_type=code&client_id=" + encode(clientId)
                + "&redirect_uri=" + encode(redirectUri) + "&scope=" + encode(String.join(" ", SCOPES))
                + "&state=" + state + "&code_challenge_method=S256&code_challenge=" + Pkce.challenge(verifier)
                // the consent every time: a connect started by someone else's page cannot pass unseen
                + "&show_dialog=true", newCookie);
    }

    // ------------------------------------------------------------------------------------------
    // GET /callback?code=...&state=... (or ?error=...&state=...)

    /** Checks the callback and makes the body of the code exchange ({@code POST /api/token}). */
    public void callback(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        Map<String, String> q = query(in);
        String state = q.get("state");
        String again = "Go back to the dashboard and press Connect Spotify again.";
        if (state == null || state.isEmpty()) {
            throw new ConnectFailure(400, "This is not an answer to a connect request",
                    "The address carries no state, so Encore cannot tell which connect request it answers.", again);
        }
        PendingAuthorizations.Pending p = pending.find(state);
        if (p == null) {
            throw new ConnectFailure(400, "Unknown connect request",
                    "Encore did not start this connect request (the state is not one it issued), or it was cleaned up "
                            + "long ago.", again);
        }
        exchange.setProperty(USER, p.user());
        if (p.used()) {
            throw new ConnectFailure(400, "This connect request was already used",
                    "The answer from Spotify was already taken once; an answer counts only once.", again);
        }
        String session = in.getHeader(SESSION_HEADER, String.class);
        if (session == null || !Secrets.sha256(session).equals(p.sessionHash())) {
            throw new ConnectFailure(400, "This connect request belongs to another browser",
                    "It was started in another browser or window, or this browser did not keep Encore's cookie "
                            + "(for instance because the dashboard was opened under another address than "
                            + origin(redirectUri) + ").",
                    "Press Connect Spotify in this browser, on " + origin(redirectUri) + "/.");
        }
        Instant now = clock.instant();
        if (!now.isBefore(p.createdAt().plus(STATE_LIFETIME))) {
            throw new ConnectFailure(400, "This connect request expired",
                    "It was started more than " + STATE_LIFETIME.toMinutes() + " minutes ago.", again);
        }
        if (!pending.claim(state, now)) {
            throw new ConnectFailure(400, "This connect request was already used",
                    "The answer from Spotify was already taken once; an answer counts only once.", again);
        }
        String error = q.get("error");
        if ("access_denied".equals(error)) {
            throw new ConnectFailure(403, "Spotify access was not granted",
                    "Spotify says the request was declined, so Encore did not connect an account to " + p.user() + ".",
                    "To connect after all, press Connect Spotify again and choose Agree on Spotify's page.");
        }
        if (error != null) {
            String description = q.get("error_description");
            throw new ConnectFailure(400, "Spotify refused the connect request",
                    "Spotify answered '" + error + "'" + (description == null ? "" : ": " + description) + ".",
                    "Check the app's settings at developer.spotify.com (the redirect URI must be exactly "
                            + redirectUri + "), then try again.");
        }
        String code = q.get("code");
        if (code == null || code.isEmpty()) {
            throw new ConnectFailure(400, "Spotify sent no authorization code",
                    "The answer carries neither a code nor an error.", again);
        }
        String verifier = cipher.decrypt(p.user(), p.encryptedVerifier());
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        // the public PKCE client: the client id in the body, no secret (docs/connect.md)
        in.setBody("grant_type=authorization_code&code=" + encode(code) + "&redirect_uri=" + encode(redirectUri)
                + "&client_id=" + encode(clientId) + "&code_verifier=" + encode(verifier));
    }

    /** Reads the answer of the code exchange and prepares {@code GET /v1/me} with the new access token. */
    public void tokenAnswer(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode body = parse(in.getBody(String.class));
        in.setBody(null); // the tokens leave the message at once
        String error = body.path("error").asText("");
        if (status == 400 && "invalid_grant".equals(error)) {
            throw new ConnectFailure(400, "The authorization code is no longer valid",
                    "Spotify did not accept the code it sent back (\"" + body.path("error_description").asText("invalid_grant")
                            + "\"): codes are short-lived and count only once.",
                    "Press Connect Spotify again and finish on Spotify's page without a long pause.");
        }
        if (status != 200 || !body.hasNonNull("access_token") || !body.hasNonNull("refresh_token")) {
            throw new ConnectFailure(502, "Spotify did not hand over the access",
                    "Spotify answered the code exchange with HTTP " + status
                            + (error.isEmpty() ? "" : " (" + error + ": " + body.path("error_description").asText("") + ")")
                            + " instead of the tokens.",
                    "Check ENCORE_SPOTIFY_CLIENT_ID and the redirect URI registered at developer.spotify.com ("
                            + redirectUri + "), then try again.");
        }
        exchange.setProperty(GRANT, new Tokens(body.get("access_token").asText(), body.get("refresh_token").asText(),
                body.path("scope").asText(""), body.path("expires_in").asLong(3600)));
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader("Authorization", "Bearer " + body.get("access_token").asText());
    }

    /** Reads {@code /v1/me}, stores the connection and answers the success page. */
    public void connected(Exchange exchange) throws SQLException {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        JsonNode me = parse(in.getBody(String.class));
        in.removeHeaders("*");
        String user = exchange.getProperty(USER, String.class);
        Tokens tokens = exchange.getProperty(GRANT, Tokens.class);
        exchange.removeProperty(GRANT);
        if (status == 403) {
            throw new ConnectFailure(403, "This Spotify account may not use this app yet",
                    "Spotify refused to show the account (" + me.path("error").path("message").asText("Forbidden")
                            + "). An app in Development Mode serves only the accounts added to it.",
                    "Add the account's e-mail under User Management of the app at developer.spotify.com, then try again.");
        }
        if (status != 200 || !me.hasNonNull("id")) {
            throw new ConnectFailure(502, "Spotify did not say whose account this is",
                    "GET /v1/me answered HTTP " + status + ".", "Try again in a moment.");
        }
        String id = me.get("id").asText();
        String name = me.path("display_name").isTextual() ? me.get("display_name").asText() : null;
        connections.save(user, new SpotifyConnections.Grant(id, name, tokens.scope(), tokens.access(), tokens.refresh(),
                tokens.expiresIn()));
        page(in, 200, ConnectPages.connected(name, id, user));
    }

    /** The page of a request that went wrong ({@code connect-errors}). */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ConnectFailure failure = null;
        for (Throwable t = caught; t != null && failure == null; t = t.getCause()) {
            if (t instanceof ConnectFailure f) {
                failure = f;
            } else if (t instanceof TokenCipher.KeyUnavailableException k) {
                LOG.error("Connecting Spotify failed: {}", k.getMessage());
                failure = new ConnectFailure(500, "Encore cannot read its stored secrets", k.getMessage(),
                        "An operator must set the right ENCORE_SECRET_KEY; then connect again.");
            } else if (t instanceof IOException) {
                LOG.warn("Connecting Spotify failed: the Spotify service could not be reached ({})", t.toString());
                failure = new ConnectFailure(502, "Spotify could not be reached",
                        "Encore could not reach Spotify to finish connecting (" + t.getClass().getSimpleName() + ").",
                        "Try again in a moment; if it persists, check this server's network access to Spotify.");
            }
        }
        if (failure == null) {
            // the message only: what failed here never carries a token in its text, and no stack trace is wanted
            LOG.error("Connecting Spotify failed: {}", caught);
            failure = new ConnectFailure(500, "Encore could not finish connecting",
                    "Something went wrong on Encore's side; the server log says what.", "Try again in a moment.");
        }
        exchange.removeProperty(GRANT);
        Message in = exchange.getMessage();
        in.removeHeaders("*");
        page(in, failure.status(), ConnectPages.failure(failure, exchange.getProperty(USER, String.class)));
    }

    // ------------------------------------------------------------------------------------------

    /** The access and refresh token between the exchange and /v1/me; prints neither. */
    private record Tokens(String access, String refresh, String scope, long expiresIn) {
        @Override
        public String toString() {
            return "Tokens[scope " + scope + "]";
        }
    }

    private static void redirect(Message in, String location, String setCookie) {
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        in.setHeader("Location", location);
        in.setHeader("Cache-Control", "no-store");
        if (setCookie != null) {
            in.setHeader("Set-Cookie", setCookie);
        }
        in.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        in.setBody("");
    }

    private static void page(Message in, int status, String html) {
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        in.setHeader("Cache-Control", "no-store");
        in.setBody(html);
    }

    /** The request's query parameters, decoded; the first of a repeated name. */
    static Map<String, String> query(Message in) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is as good as absent
            }
        }
        return params;
    }

    /** False also when the request's address cannot be read (an odd Host header): then the move is right too. */
    private static boolean sameOrigin(String url, String other) {
        try {
            return origin(url).equals(origin(other));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT)
                + ":" + port;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
