package dev.encore.spotify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * In-memory fake of the Spotify accounts service ({@code POST /api/token}: client credentials, and the
 * authorization code flow with PKCE, {@code GET /authorize}) and of the catalogue part of the Web API plus
 * {@code GET /v1/me}, served on one loopback host so a client only needs one base URL.
 * The real services are unreachable from the build machine; this speaks their wire format, errors included
 * (reference/spotify.md sections 1.2-1.6 and 2.1-2.7).
 *
 * <p>Endpoints: {@code GET /v1/tracks/{id}}, {@code /v1/tracks?ids=}, {@code /v1/albums/{id}},
 * {@code /v1/albums?ids=}, {@code /v1/albums/{id}/tracks}, {@code /v1/artists/{id}}, {@code /v1/artists?ids=},
 * {@code /v1/search}, {@code /v1/me} (a user token only). Anything else under {@code /v1} answers 404
 * "Service not found", like Spotify.
 *
 * <p>The authorization code flow ("Users and consent" below): {@link #addUser} accounts, one of them signed in
 * ({@link #signedInAs}); {@code /authorize} checks client id, registered redirect URI ({@link #registerRedirectUri}),
 * response type, scopes and {@code code_challenge_method=S256}, then redirects with a code or, after
 * {@link #consent consent(false)}, with {@code error=access_denied}. {@code /api/token} with
 * {@code authorization_code} verifies PKCE for real (SHA-256 of the verifier against the challenge); codes
 * count once and expire ({@link #authorizationCodeLifetime}); {@code refresh_token} renews, rotating when
 * {@link #rotateRefreshTokens} says so, and answers {@code invalid_grant} "Refresh token revoked" after
 * {@link #revoke}. User access tokens expire like client tokens ({@link #tokenLifetimeSeconds},
 * {@link #advanceTime}); {@link #userOfToken} says whose a token is, for user-data endpoints.
 *
 * <p>Behaviour worth knowing:
 * <ul>
 *   <li>Every {@code /v1} call needs {@code Authorization: Bearer <token issued here>}; missing, unknown,
 *       expired ({@link #advanceTime}, {@link #tokenLifetimeSeconds}) or revoked ({@link #expireAllTokens})
 *       tokens get 401.</li>
 *   <li>Order per {@code /v1} request: log it, apply {@link #latency}, fire a scripted fault
 *       ({@link #failNext}) if one matches, check the token, then serve. So a scripted fault fires even for
 *       a request without a valid token, and every request, whatever its answer, is counted.</li>
 *   <li>Objects follow the Development Mode shape: no {@code available_markets}, no {@code linked_from},
 *       {@code preview_url} null. {@code href} and paging {@code next} point at this fake so they can be
 *       followed; {@code external_urls}, {@code uri} and image URLs look like Spotify's.</li>
 *   <li>Relinking ({@link #relink}) applies with or without {@code market}, to single and batch calls.</li>
 * </ul>
 *
 * <p>Prefix matching, used by {@link #calls} and {@link #failNext}: every request is described as
 * {@code "METHOD /raw/path?rawQuery"} (e.g. {@code "GET /v1/tracks?ids=a,b"}, {@code "GET /v1/tracks/abc"}).
 * A prefix that starts with {@code /} is matched against the part after the method, any other prefix against
 * the whole description. So {@code "GET /v1/tracks?"} selects batch track calls, {@code "GET /v1/tracks/"}
 * single track calls, {@code "/v1/"} every Web API call and {@code "POST /api/token"} token requests.
 *
 * <p>Thread-safe: requests run on a cached pool (latency is served in parallel), the catalogue is guarded by
 * one lock, settings are volatile.
 */
public final class FakeSpotify implements AutoCloseable {

    public static final String DEFAULT_CLIENT_ID = "fake-client-id";
    public static final String DEFAULT_CLIENT_SECRET = "fake-client-secret";

    /** Spotify IDs are 22 base-62 characters (reference 2.5); anything else is "invalid id". */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z]{22}");
    private static final Pattern SINGLE = Pattern.compile("/v1/(tracks|albums|artists)/([^/]*)");
    private static final Pattern ALBUM_TRACKS = Pattern.compile("/v1/albums/([^/]*)/tracks");
    /** Batch limits per reference 2.1. */
    private static final Map<String, Integer> BATCH_LIMITS = Map.of("tracks", 50, "albums", 20, "artists", 50);
    private static final int SEARCH_MAX_LIMIT = 10;
    private static final int SEARCH_DEFAULT_LIMIT = 5;
    private static final int SEARCH_MAX_OFFSET = 1000;
    private static final Pattern SEARCH_TOKEN = Pattern.compile("(\\w+:)?(\"[^\"]*\"|\\S+)");

    /** The scopes Spotify documents; {@code /authorize} refuses any other. */
    private static final java.util.Set<String> SCOPES = java.util.Set.of("ugc-image-upload", "user-read-playback-state",
            "user-modify-playback-state", "user-read-currently-playing", "app-remote-control", "streaming",
            "playlist-read-private", "playlist-read-collaborative", "playlist-modify-private", "playlist-modify-public",
            "user-follow-modify", "user-follow-read", "user-read-playback-position", "user-top-read",
            "user-read-recently-played", "user-library-modify", "user-library-read", "user-read-email",
            "user-read-private", "user-personalized");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;

    private final Object catalogueLock = new Object();
    // Insertion-ordered so search results and album track numbers are predictable.
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private final Map<String, Album> albums = new LinkedHashMap<>();
    private final Map<String, Artist> artists = new LinkedHashMap<>();
    private final Map<String, String> relinks = new LinkedHashMap<>();

    /** token -> expiry; revoked tokens stay in the map with {@link Instant#MIN} so they read as "expired". */
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final java.util.Set<String> headerNames = new java.util.HashSet<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();

    // The authorization code flow (users, codes, refresh tokens, user access tokens); see "Users and consent".
    private final Map<String, String> accounts = new ConcurrentHashMap<>(); // Spotify user id -> display name
    private final java.util.Set<String> redirectUris = ConcurrentHashMap.newKeySet();
    private final Map<String, AuthCode> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, UserToken> userTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grantRequests = new ConcurrentHashMap<>();
    private volatile String signedInUser;
    private volatile boolean consent = true;
    private volatile boolean rotateRefreshTokens;
    private volatile Duration codeLifetime = Duration.ofMinutes(10);
    private final java.util.concurrent.atomic.AtomicReference<Runnable> beforeNextRefresh =
            new java.util.concurrent.atomic.AtomicReference<>();

    private volatile String clientId = DEFAULT_CLIENT_ID;
    private volatile String clientSecret = DEFAULT_CLIENT_SECRET;
    private volatile int tokenLifetimeSeconds = 3600;
    private volatile boolean batchForbidden;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile FakeSpotifyListening listening;

    private FakeSpotify() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // A pool, not the default single thread: clients fetch in parallel and latency must overlap.
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-spotify");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake on a free port of 127.0.0.1 with {@link #DEFAULT_CLIENT_ID}/{@link #DEFAULT_CLIENT_SECRET}. */
    public static FakeSpotify start() {
        try {
            return new FakeSpotify();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fake Spotify", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash: token URL is baseUrl + "/api/token", API is baseUrl + "/v1". */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------
    // Catalogue
    // ------------------------------------------------------------------------------------------------

    /** Adds (or replaces) a track of 3:30, not explicit. See the 7-argument variant. */
    public FakeSpotify addTrack(String id, String name, String albumId, List<String> artistIds, String isrc) {
        return addTrack(id, name, albumId, artistIds, isrc, 210_000, false);
    }

    /**
     * Adds (or replaces) a track. Its album and artists need not exist yet: missing ones are created as
     * placeholders ("Album &lt;id&gt;", "Artist &lt;id&gt;") that a later {@link #addAlbum}/{@link #addArtist}
     * replaces, because on Spotify a track's album and artists always resolve. {@code isrc} may be null
     * (then {@code external_ids} is {@code {}}). Track numbers follow insertion order within the album.
     */
    public FakeSpotify addTrack(String id, String name, String albumId, List<String> artistIds, String isrc,
                                int durationMs, boolean explicit) {
        checkId(id);
        checkId(albumId);
        if (artistIds.isEmpty()) {
            throw new IllegalArgumentException("a track needs at least one artist: " + id);
        }
        artistIds.forEach(FakeSpotify::checkId);
        synchronized (catalogueLock) {
            tracks.put(id, new Track(id, Objects.requireNonNull(name), albumId, List.copyOf(artistIds), isrc,
                    durationMs, explicit, popularity(id)));
            albums.putIfAbsent(albumId, new Album(albumId, "Album " + albumId, "album", "2020-01-01", "day"));
            artistIds.forEach(a -> artists.putIfAbsent(a, new Artist(a, "Artist " + a, List.of())));
        }
        return this;
    }

    /**
     * Adds (or replaces) an album. {@code albumType} is album, single or compilation; {@code precision} is
     * year, month or day and must match {@code releaseDate} ("1999", "1999-03", "1999-03-21"), as on Spotify.
     * The album's artists are the distinct artists of its tracks, in order of appearance.
     */
    public FakeSpotify addAlbum(String id, String name, String albumType, String releaseDate, String precision) {
        checkId(id);
        if (!List.of("album", "single", "compilation").contains(albumType)) {
            throw new IllegalArgumentException("album_type must be album, single or compilation: " + albumType);
        }
        String datePattern = switch (precision) {
            case "year" -> "\\d{4}";
            case "month" -> "\\d{4}-\\d{2}";
            case "day" -> "\\d{4}-\\d{2}-\\d{2}";
            default -> throw new IllegalArgumentException("precision must be year, month or day: " + precision);
        };
        if (!releaseDate.matches(datePattern)) {
            throw new IllegalArgumentException("release date " + releaseDate + " does not match precision " + precision);
        }
        synchronized (catalogueLock) {
            albums.put(id, new Album(id, Objects.requireNonNull(name), albumType, releaseDate, precision));
        }
        return this;
    }

    /** Adds (or replaces) an artist; {@code genres} may be empty (Spotify increasingly returns none, 1.5). */
    public FakeSpotify addArtist(String id, String name, List<String> genres) {
        checkId(id);
        synchronized (catalogueLock) {
            artists.put(id, new Artist(id, Objects.requireNonNull(name), List.copyOf(genres)));
        }
        return this;
    }

    /**
     * One-call setup: the track plus its album (type album, released 2020-01-01) and named artists, given as
     * ordered {@code Map.entry(id, name)} pairs. An album or artist that already exists is kept as it is.
     */
    public FakeSpotify addTrackWithAlbumAndArtists(String trackId, String trackName, String isrc, String albumId,
                                                   String albumName, List<Map.Entry<String, String>> artistIdsAndNames) {
        synchronized (catalogueLock) {
            if (!albums.containsKey(albumId)) {
                addAlbum(albumId, albumName, "album", "2020-01-01", "day");
            }
            for (Map.Entry<String, String> artist : artistIdsAndNames) {
                if (!artists.containsKey(artist.getKey())) {
                    addArtist(artist.getKey(), artist.getValue(), List.of());
                }
            }
            return addTrack(trackId, trackName, albumId,
                    artistIdsAndNames.stream().map(Map.Entry::getKey).toList(), isrc);
        }
    }

    /**
     * Track relinking (reference 2.6): requests for {@code requestedId} (single or batch) return the track
     * {@code returnedId}, whose object carries its own id and no {@code linked_from} (removed for DM apps).
     * {@code returnedId} must be in the catalogue when the request comes; {@code requestedId} need not be.
     */
    public FakeSpotify relink(String requestedId, String returnedId) {
        checkId(requestedId);
        checkId(returnedId);
        synchronized (catalogueLock) {
            relinks.put(requestedId, returnedId);
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // Accounts settings
    // ------------------------------------------------------------------------------------------------

    /** The only client ID and secret {@code /api/token} accepts. */
    public FakeSpotify credentials(String clientId, String clientSecret) {
        this.clientId = Objects.requireNonNull(clientId);
        this.clientSecret = Objects.requireNonNull(clientSecret);
        return this;
    }

    /** {@code expires_in} of tokens issued from now on (default 3600, as Spotify). */
    public FakeSpotify tokenLifetimeSeconds(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("negative lifetime");
        }
        this.tokenLifetimeSeconds = seconds;
        return this;
    }

    /** Revokes every token issued so far: they answer 401 "The access token expired"; new tokens work. */
    public FakeSpotify expireAllTokens() {
        tokens.replaceAll((token, expiry) -> Instant.MIN);
        return this;
    }

    /** Moves the fake's clock forward (it only drives token expiry), so tests need not sleep an hour. */
    public FakeSpotify advanceTime(Duration duration) {
        clockOffset = clockOffset.plus(duration);
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // Users and consent: the authorization code flow with PKCE (reference 2.4)
    // ------------------------------------------------------------------------------------------------

    /**
     * Adds a Spotify account that can sign in at {@code /authorize}. The first one added is the one
     * signed in, until {@link #signedInAs} says otherwise. {@code displayName} may be null, as on Spotify.
     */
    public FakeSpotify addUser(String spotifyUserId, String displayName) {
        accounts.put(Objects.requireNonNull(spotifyUserId), displayName == null ? "" : displayName);
        if (signedInUser == null) {
            signedInUser = spotifyUserId;
        }
        return this;
    }

    /** The account the browser is signed in to at {@code /authorize} (one added by {@link #addUser}). */
    public FakeSpotify signedInAs(String spotifyUserId) {
        if (!accounts.containsKey(spotifyUserId)) {
            throw new IllegalArgumentException("no such user, addUser first: " + spotifyUserId);
        }
        signedInUser = spotifyUserId;
        return this;
    }

    /**
     * Whether the signed-in user agrees on the consent page (default true): {@code /authorize} then
     * redirects to the redirect URI with {@code code} and {@code state}; false, with
     * {@code error=access_denied} and {@code state}.
     */
    public FakeSpotify consent(boolean agree) {
        this.consent = agree;
        return this;
    }

    /** Registers a redirect URI for the app (the dashboard's "Redirect URIs"); {@code /authorize} accepts only these. */
    public FakeSpotify registerRedirectUri(String uri) {
        redirectUris.add(Objects.requireNonNull(uri));
        return this;
    }

    /** How long an authorization code can be exchanged (default 10 minutes, on the fake's clock). */
    public FakeSpotify authorizationCodeLifetime(Duration lifetime) {
        this.codeLifetime = Objects.requireNonNull(lifetime);
        return this;
    }

    /**
     * True: every refresh answers a new {@code refresh_token} and the one used stops working
     * ("Invalid refresh token"). False (default, as Spotify since July 2026): the answer omits it
     * and the old one keeps working.
     */
    public FakeSpotify rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
        return this;
    }

    /**
     * The user withdrew the app's access (or the six-month expiry came): their refresh tokens answer
     * {@code invalid_grant} "Refresh token revoked", and their access tokens 401 from now on.
     */
    public FakeSpotify revoke(String spotifyUserId) {
        refreshTokens.replaceAll((token, grant) -> grant.user.equals(spotifyUserId) ? grant.asRevoked() : grant);
        userTokens.forEach((token, t) -> {
            if (t.user.equals(spotifyUserId)) {
                tokens.put(token, Instant.MIN);
            }
        });
        return this;
    }

    /**
     * What {@code /api/token} answers when a code the user consented to is exchanged
     * ({@code access_token}, {@code refresh_token}, {@code expires_in}, {@code scope}), without the
     * browser's round trip through {@code /authorize}: for programs that connect many accounts at
     * once (bench/live.sh). The tokens work as those of the real flow do.
     */
    public ObjectNode consentedGrant(String spotifyUserId, java.util.Set<String> scopes) {
        String refreshToken = "AQ" + randomToken(96);
        refreshTokens.put(refreshToken, new RefreshGrant(spotifyUserId, java.util.Set.copyOf(scopes), false, false));
        return userTokenAnswer(spotifyUserId, scopes).put("refresh_token", refreshToken);
    }

    /**
     * The Spotify user id a valid, unexpired user access token belongs to; empty for an unknown,
     * expired or revoked token, or a client-credentials one. The user-data endpoints check tokens here.
     */
    public Optional<String> userOfToken(String accessToken) {
        UserToken t = accessToken == null ? null : userTokens.get(accessToken);
        Instant expiry = accessToken == null ? null : tokens.get(accessToken);
        return t != null && expiry != null && now().isBefore(expiry) ? Optional.of(t.user) : Optional.empty();
    }

    /** The scopes granted to a user access token (empty when {@link #userOfToken} is). */
    public java.util.Set<String> scopesOfToken(String accessToken) {
        return userOfToken(accessToken).isPresent() ? userTokens.get(accessToken).scopes : java.util.Set.of();
    }

    /** Every refresh token issued to the user so far (working or not), for tests that look for leaks. */
    public List<String> refreshTokensIssued(String spotifyUserId) {
        return refreshTokens.entrySet().stream().filter(e -> e.getValue().user.equals(spotifyUserId))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Every user access token issued to the user so far, for tests that look for leaks. */
    public List<String> accessTokensIssued(String spotifyUserId) {
        return userTokens.entrySet().stream().filter(e -> e.getValue().user.equals(spotifyUserId))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * Runs {@code action} once, inside the next {@code refresh_token} request, before that request is
     * looked at: what happens "meanwhile" (another replica refreshing) without any timing.
     */
    public FakeSpotify beforeNextRefresh(Runnable action) {
        beforeNextRefresh.set(Objects.requireNonNull(action));
        return this;
    }

    /** {@code /api/token} requests with this {@code grant_type} (authorization_code, refresh_token, client_credentials). */
    public int tokenRequests(String grantType) {
        AtomicInteger n = grantRequests.get(grantType);
        return n == null ? 0 : n.get();
    }

    // ------------------------------------------------------------------------------------------------
    // Modes and faults
    // ------------------------------------------------------------------------------------------------

    /** True: the three multi-get endpoints answer 403 "Forbidden", as for a Development Mode app since Feb 2026. */
    public FakeSpotify batchEndpointsForbidden(boolean forbidden) {
        this.batchForbidden = forbidden;
        return this;
    }

    /** Serves the user endpoints of {@code listening} (recently played, playlists, top, saved) on this host too. */
    public FakeSpotify mount(FakeSpotifyListening listening) {
        this.listening = listening;
        return this;
    }

    /** Delay before every {@code /v1} call is answered (not token calls); calls are delayed in parallel. */
    public FakeSpotify latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency);
        return this;
    }

    /**
     * The next {@code times} requests matching {@code prefix} (see the class comment) answer {@code status}
     * with {@code headers} and {@code body} instead of being served. A null body gets Spotify's error body
     * for the status. Faults are consumed in the order they were scripted.
     */
    public FakeSpotify failNext(String prefix, int times, int status, Map<String, String> headers, String body) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be positive");
        }
        String responseBody = body != null ? body : errorBody(status, defaultMessage(status), null);
        synchronized (faults) {
            faults.add(new Fault(prefix, new AtomicInteger(times), status, Map.copyOf(headers), responseBody));
        }
        return this;
    }

    /** Rate limit (reference 2.2): 429, {@code Retry-After} in seconds, message "API rate limit exceeded". */
    public FakeSpotify rateLimitNext(String prefix, int times, long retryAfterSeconds) {
        return failNext(prefix, times, 429, Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                errorBody(429, "API rate limit exceeded", null));
    }

    /** Quota exhausted (reference 2.2, July 2026): like a rate limit but with {@code "reason":"QUOTA_EXCEEDED"}. */
    public FakeSpotify quotaExceededNext(String prefix, int times, long retryAfterSeconds) {
        return failNext(prefix, times, 429, Map.of("Retry-After", Long.toString(retryAfterSeconds)),
                errorBody(429, "Too many requests", "QUOTA_EXCEEDED"));
    }

    // ------------------------------------------------------------------------------------------------
    // Introspection
    // ------------------------------------------------------------------------------------------------

    /** Requests since start or {@link #resetCounters()} matching {@code prefix} (see the class comment). */
    public int calls(String prefix) {
        synchronized (log) {
            return (int) log.stream().filter(matcher(prefix)).count();
        }
    }

    /** Every request as {@code "METHOD /raw/path?rawQuery"}, in arrival order. Headers and bodies are never logged. */
    public List<String> requestLog() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The names (never the values) of every request header seen since start, lower-cased. */
    public java.util.Set<String> headerNamesSeen() {
        synchronized (log) {
            return java.util.Set.copyOf(headerNames);
        }
    }

    /** {@code /api/token} requests, successful or not. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Clears the request log and the token-request count (not tokens, catalogue, faults or modes). */
    public FakeSpotify resetCounters() {
        synchronized (log) {
            log.clear();
            tokenRequests.set(0);
            grantRequests.clear();
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // HTTP
    // ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String request = exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query);
            synchronized (log) {
                log.add(request);
                exchange.getRequestHeaders().keySet().forEach(h -> headerNames.add(h.toLowerCase(java.util.Locale.ROOT)));
            }
            // Read the body up front: it drains the stream, so the connection can be reused.
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Response response;
            try {
                response = respond(exchange, request, path, query, body);
            } catch (RuntimeException e) {
                response = Response.error(500, "Fake Spotify failed: " + e);
            }
            if (response.status == FakeSpotifyListening.NO_ANSWER) {
                return; // closing an exchange that sent no headers closes its connection: no response at all
            }
            byte[] bytes = response.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            response.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(response.status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }

    private Response respond(HttpExchange exchange, String request, String path, String query, String body) {
        boolean api = path.startsWith("/v1/");
        if (path.equals("/api/token")) {
            tokenRequests.incrementAndGet();
        } else if (api) {
            sleep(latency);
        }
        Fault fault = takeFault(request);
        if (fault != null) {
            return new Response(fault.status, fault.headers, fault.body);
        }
        if (path.equals("/api/token")) {
            return token(exchange, body);
        }
        if (path.equals("/authorize")) {
            return authorize(exchange, parseForm(query));
        }
        if (!api) {
            return Response.error(404, "Service not found");
        }
        FakeSpotifyListening.Answer user = listening == null ? null : listening.answer(exchange.getRequestMethod(), path,
                query, exchange.getRequestHeaders().getFirst("Authorization"));
        if (user != null) {
            return new Response(user.status(), user.headers(), user.body());
        }
        Response unauthorized = checkBearer(exchange.getRequestHeaders().getFirst("Authorization"));
        if (unauthorized != null) {
            return unauthorized;
        }
        if (!exchange.getRequestMethod().equals("GET")) {
            return Response.error(405, "Method not allowed");
        }
        Map<String, String> params = parseForm(query);
        if (path.equals("/v1/me")) {
            return me(exchange.getRequestHeaders().getFirst("Authorization").substring("Bearer ".length()));
        }
        synchronized (catalogueLock) {
            return serve(path, params);
        }
    }

    private Response serve(String path, Map<String, String> params) {
        Matcher albumTracks = ALBUM_TRACKS.matcher(path);
        if (albumTracks.matches()) {
            return albumTracks(albumTracks.group(1), params);
        }
        Matcher single = SINGLE.matcher(path);
        if (single.matches()) {
            String kind = single.group(1);
            String id = single.group(2);
            if (!ID.matcher(id).matches()) {
                return Response.error(400, "invalid id");
            }
            ObjectNode object = lookup(kind, id);
            return object == null ? Response.error(404, "non existing id") : Response.ok(object);
        }
        if (path.equals("/v1/tracks") || path.equals("/v1/albums") || path.equals("/v1/artists")) {
            return multiGet(path.substring("/v1/".length()), params.get("ids"));
        }
        if (path.equals("/v1/search")) {
            return search(params);
        }
        return Response.error(404, "Service not found");
    }

    // ------------------------------------------------------------------------------------------------
    // Accounts
    // ------------------------------------------------------------------------------------------------

    private Response token(HttpExchange exchange, String form) {
        if (!exchange.getRequestMethod().equals("POST")) {
            return Response.error(405, "Method not allowed");
        }
        Map<String, String> params = parseForm(form);
        String grant = params.get("grant_type");
        if (grant != null) {
            grantRequests.computeIfAbsent(grant, g -> new AtomicInteger()).incrementAndGet();
        }
        if ("authorization_code".equals(grant) || "refresh_token".equals(grant)) {
            String client = userGrantClient(exchange.getRequestHeaders().getFirst("Authorization"), params);
            if (client == null) {
                return Response.accountsError("invalid_client", "Invalid client");
            }
            return grant.equals("authorization_code") ? authorizationCode(params) : refresh(params);
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return Response.accountsError("invalid_client", "Invalid client");
        }
        String grantType = parseForm(form).get("grant_type");
        if (grantType == null) {
            return Response.accountsError("unsupported_grant_type", "grant_type parameter is missing");
        }
        if (!grantType.equals("client_credentials")) {
            // Spotify knows the other grants; the fake only implements client credentials.
            return Response.accountsError("unsupported_grant_type",
                    "grant_type must be client_credentials, authorization_code or refresh_token");
        }
        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        String token = "BQ" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        int lifetime = tokenLifetimeSeconds;
        tokens.put(token, now().plusSeconds(lifetime));
        ObjectNode body = JSON.createObjectNode()
                .put("access_token", token)
                .put("token_type", "Bearer")
                .put("expires_in", lifetime);
        return Response.ok(body);
    }

    /**
     * The client of a user grant: Basic {@code id:secret} (the confidential client) or, without an
     * Authorization header, {@code client_id} in the body (the public PKCE client). Null: invalid.
     */
    private String userGrantClient(String authorization, Map<String, String> params) {
        if (authorization != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
            return expected.equals(authorization) ? clientId : null;
        }
        return clientId.equals(params.get("client_id")) ? clientId : null;
    }

    /** {@code GET /authorize}: Spotify's errors about the app itself are pages; the rest go back to the redirect URI. */
    private Response authorize(HttpExchange exchange, Map<String, String> params) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return Response.error(405, "Method not allowed");
        }
        if (!clientId.equals(params.get("client_id"))) {
            return Response.page(400, "INVALID_CLIENT: Invalid client");
        }
        String redirect = params.get("redirect_uri");
        if (redirect == null || !redirectUris.contains(redirect)) {
            return Response.page(400, "INVALID_CLIENT: Invalid redirect URI");
        }
        String state = params.get("state");
        if (!"code".equals(params.get("response_type"))) {
            return back(redirect, "error=unsupported_response_type", state);
        }
        String scope = params.getOrDefault("scope", "");
        java.util.Set<String> scopes = new java.util.TreeSet<>(List.of(scope.trim().isEmpty() ? new String[0] : scope.trim().split(" +")));
        if (!SCOPES.containsAll(scopes)) {
            return back(redirect, "error=invalid_scope&error_description=" + encode("Invalid scope"), state);
        }
        String challenge = params.get("code_challenge");
        String method = params.get("code_challenge_method");
        if (challenge != null || method != null) {
            if (!"S256".equals(method)) {
                return back(redirect, "error=invalid_request&error_description="
                        + encode("code_challenge_method must be S256"), state);
            }
            if (challenge == null || !challenge.matches("[A-Za-z0-9_-]{43}")) {
                return back(redirect, "error=invalid_request&error_description=" + encode("Invalid code_challenge"), state);
            }
        }
        String user = signedInUser;
        if (user == null) {
            return Response.page(400, "The fake has no signed-in user: addUser first");
        }
        if (!consent) {
            return back(redirect, "error=access_denied", state);
        }
        String code = "AQ" + randomToken(96);
        codes.put(code, new AuthCode(clientId, redirect, challenge, user, java.util.Set.copyOf(scopes),
                now().plus(codeLifetime), new java.util.concurrent.atomic.AtomicBoolean()));
        return back(redirect, "code=" + code, state);
    }

    private static Response back(String redirectUri, String query, String state) {
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + query
                + (state == null ? "" : "&state=" + encode(state));
        return new Response(302, Map.of("Location", location), "");
    }

    private Response authorizationCode(Map<String, String> params) {
        AuthCode code = params.get("code") == null ? null : codes.get(params.get("code"));
        if (code == null || !code.clientId.equals(clientId)) {
            return Response.accountsError("invalid_grant", "Invalid authorization code");
        }
        if (code.used.getAndSet(true)) { // single-use, whatever the outcome
            return Response.accountsError("invalid_grant", "Invalid authorization code");
        }
        if (!now().isBefore(code.expiresAt)) {
            return Response.accountsError("invalid_grant", "Authorization code expired");
        }
        if (!code.redirectUri.equals(params.get("redirect_uri"))) {
            return Response.accountsError("invalid_grant", "Invalid redirect URI");
        }
        if (code.challenge != null) {
            String verifier = params.get("code_verifier");
            if (verifier == null) {
                return Response.accountsError("invalid_request", "code_verifier required");
            }
            // RFC 7636 4.1: 43 to 128 characters of [A-Za-z0-9-._~]; 4.6: BASE64URL(SHA256(verifier)) == challenge
            if (!verifier.matches("[A-Za-z0-9._~-]{43,128}") || !code.challenge.equals(s256(verifier))) {
                return Response.accountsError("invalid_grant", "code_verifier was incorrect");
            }
        }
        String refreshToken = "AQ" + randomToken(96);
        refreshTokens.put(refreshToken, new RefreshGrant(code.user, code.scopes, false, false));
        ObjectNode body = userTokenAnswer(code.user, code.scopes);
        body.put("refresh_token", refreshToken);
        return Response.ok(body);
    }

    private Response refresh(Map<String, String> params) {
        Runnable meanwhile = beforeNextRefresh.getAndSet(null);
        if (meanwhile != null) {
            meanwhile.run();
        }
        String old = params.get("refresh_token");
        RefreshGrant grant = old == null ? null : refreshTokens.get(old);
        if (grant == null || grant.replaced) {
            return Response.accountsError("invalid_grant", "Invalid refresh token");
        }
        if (grant.revoked) {
            return Response.accountsError("invalid_grant", "Refresh token revoked");
        }
        ObjectNode body = userTokenAnswer(grant.user, grant.scopes);
        if (rotateRefreshTokens) {
            String fresh = "AQ" + randomToken(96);
            refreshTokens.put(fresh, grant);
            refreshTokens.put(old, grant.asReplaced());
            body.put("refresh_token", fresh);
        }
        return Response.ok(body);
    }

    private ObjectNode userTokenAnswer(String user, java.util.Set<String> scopes) {
        String token = "BQ" + randomToken(48);
        int lifetime = tokenLifetimeSeconds;
        userTokens.put(token, new UserToken(user, scopes));
        tokens.put(token, now().plusSeconds(lifetime));
        return JSON.createObjectNode()
                .put("access_token", token)
                .put("token_type", "Bearer")
                .put("scope", String.join(" ", scopes))
                .put("expires_in", lifetime);
    }

    /** {@code GET /v1/me}: the current user's profile, as far as no extra scope is needed (no email, country, product). */
    private Response me(String token) {
        UserToken t = userTokens.get(token);
        if (t == null) {
            // a client-credentials token has no user (the fake's wording)
            return Response.error(401, "This request requires user authentication.");
        }
        String name = accounts.getOrDefault(t.user, "");
        ObjectNode body = JSON.createObjectNode();
        if (name.isEmpty()) {
            body.putNull("display_name");
        } else {
            body.put("display_name", name);
        }
        body.putObject("external_urls").put("spotify", "https://open.spotify.com/user/" + t.user);
        body.putObject("followers").putNull("href").put("total", 0);
        body.put("href", apiUrl("/users/" + t.user));
        body.put("id", t.user);
        body.putArray("images");
        body.put("type", "user");
        body.put("uri", "spotify:user:" + t.user);
        return Response.ok(body);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Response checkBearer(String authorization) {
        String message;
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            message = "No token provided";
        } else {
            Instant expiry = tokens.get(authorization.substring("Bearer ".length()));
            if (expiry == null) {
                message = "Invalid access token";
            } else if (!now().isBefore(expiry)) {
                message = "The access token expired";
            } else {
                return null;
            }
        }
        // Spotify also names the problem in WWW-Authenticate.
        return new Response(401, Map.of("WWW-Authenticate", "Bearer realm=\"spotify\", error=\"invalid_token\", "
                + "error_description=\"" + message + "\""), errorBody(401, message, null));
    }

    private Instant now() {
        return Instant.now().plus(clockOffset);
    }

    // ------------------------------------------------------------------------------------------------
    // Web API
    // ------------------------------------------------------------------------------------------------

    private Response multiGet(String kind, String idsParam) {
        if (batchForbidden) {
            return Response.error(403, "Forbidden");
        }
        if (idsParam == null || idsParam.isEmpty()) {
            return Response.error(400, "invalid id");
        }
        String[] ids = idsParam.split(",", -1);
        if (ids.length > BATCH_LIMITS.get(kind)) {
            return Response.error(400, "Too many ids requested");
        }
        ArrayNode items = JSON.createArrayNode();
        for (String id : ids) {
            if (!ID.matcher(id).matches()) {
                return Response.error(400, "invalid id");
            }
            items.add(lookup(kind, id)); // null stays in its position, as Spotify answers unknown IDs
        }
        ObjectNode body = JSON.createObjectNode();
        body.set(kind, items);
        return Response.ok(body);
    }

    private ObjectNode lookup(String kind, String id) {
        return switch (kind) {
            case "tracks" -> {
                Track track = tracks.get(relinks.getOrDefault(id, id));
                yield track == null ? null : fullTrack(track);
            }
            case "albums" -> {
                Album album = albums.get(id);
                yield album == null ? null : fullAlbum(album);
            }
            default -> {
                Artist artist = artists.get(id);
                yield artist == null ? null : fullArtist(artist);
            }
        };
    }

    private Response albumTracks(String albumId, Map<String, String> params) {
        if (!ID.matcher(albumId).matches()) {
            return Response.error(400, "invalid id");
        }
        Album album = albums.get(albumId);
        if (album == null) {
            return Response.error(404, "non existing id");
        }
        Integer limit = intParam(params, "limit", 20, 1, 50);
        Integer offset = intParam(params, "offset", 0, 0, Integer.MAX_VALUE);
        if (limit == null) {
            return Response.error(400, "Invalid limit");
        }
        if (offset == null) {
            return Response.error(400, "Invalid offset");
        }
        List<ObjectNode> items = tracksOf(albumId).stream().map(this::simplifiedTrack).toList();
        return Response.ok(paging(apiUrl("/albums/" + albumId + "/tracks"), "", items, limit, offset));
    }

    private Response search(Map<String, String> params) {
        String q = params.getOrDefault("q", params.get("query")); // Spotify's own next links use "query"
        if (q == null || q.isBlank()) {
            return Response.error(400, "No search query");
        }
        String typeParam = params.get("type");
        if (typeParam == null || typeParam.isBlank()) {
            return Response.error(400, "Missing parameter type");
        }
        Integer limit = intParam(params, "limit", SEARCH_DEFAULT_LIMIT, 0, SEARCH_MAX_LIMIT);
        if (limit == null) {
            return Response.error(400, "Invalid limit");
        }
        Integer offset = intParam(params, "offset", 0, 0, SEARCH_MAX_OFFSET);
        if (offset == null) {
            return Response.error(400, "Invalid offset");
        }
        List<String> types = List.of(typeParam.split(","));
        for (String type : types) {
            if (!List.of("track", "album", "artist").contains(type)) {
                return Response.error(400, "Bad search type field " + type);
            }
        }
        SearchQuery query = SearchQuery.parse(q);
        String extra = "&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&type=" + typeParam;
        ObjectNode body = JSON.createObjectNode();
        if (types.contains("track")) {
            List<ObjectNode> items = tracks.values().stream().filter(t -> query.matches(searchFields(t)))
                    .map(this::fullTrack).toList();
            body.set("tracks", paging(apiUrl("/search"), extra, items, limit, offset));
        }
        if (types.contains("album")) {
            List<ObjectNode> items = albums.values().stream()
                    .filter(a -> query.matches(searchFields(a)))
                    .map(this::simplifiedAlbum).toList();
            body.set("albums", paging(apiUrl("/search"), extra, items, limit, offset));
        }
        if (types.contains("artist")) {
            List<ObjectNode> items = artists.values().stream().filter(a -> query.matches(Map.of("artist", a.name)))
                    .map(this::fullArtist).toList();
            body.set("artists", paging(apiUrl("/search"), extra, items, limit, offset));
        }
        return Response.ok(body);
    }

    private Map<String, String> searchFields(Track track) {
        Album album = albums.get(track.albumId);
        Map<String, String> fields = new LinkedHashMap<>(searchFields(album));
        fields.put("album", album.name);
        fields.put("track", track.name);
        fields.put("artist", String.join("\n", track.artistIds.stream().map(id -> artists.get(id).name).toList()));
        if (track.isrc != null) {
            fields.put("isrc", track.isrc);
        }
        return fields;
    }

    private Map<String, String> searchFields(Album album) {
        return Map.of("album", album.name, "year", album.releaseDate.substring(0, 4),
                "artist", String.join("\n", albumArtists(album.id).stream().map(Artist::name).toList()));
    }

    /** Spotify's paging object; {@code extra} carries query parameters that next/previous must repeat. */
    static ObjectNode paging(String base, String extra, List<ObjectNode> all, int limit, int offset) {
        ObjectNode page = JSON.createObjectNode();
        page.put("href", base + "?offset=" + offset + "&limit=" + limit + extra);
        ArrayNode items = page.putArray("items");
        all.stream().skip(offset).limit(limit).forEach(items::add);
        page.put("limit", limit);
        if (limit > 0 && offset + limit < all.size()) {
            page.put("next", base + "?offset=" + (offset + limit) + "&limit=" + limit + extra);
        } else {
            page.putNull("next");
        }
        page.put("offset", offset);
        if (offset > 0) {
            page.put("previous", base + "?offset=" + Math.max(0, offset - limit) + "&limit=" + limit + extra);
        } else {
            page.putNull("previous");
        }
        page.put("total", all.size());
        return page;
    }

    /** Null when the parameter is present but not an integer within [min, max]; Spotify answers that with 400. */
    static Integer intParam(Map<String, String> params, String name, int fallback, int min, int max) {
        String value = params.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            return parsed < min || parsed > max ? null : parsed;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // JSON objects, shaped like Spotify's documented Track, Album and Artist objects
    // ------------------------------------------------------------------------------------------------

    private ObjectNode fullTrack(Track track) {
        ObjectNode node = simplifiedTrack(track);
        node.set("album", simplifiedAlbum(albums.get(track.albumId)));
        ObjectNode externalIds = node.putObject("external_ids");
        if (track.isrc != null) {
            externalIds.put("isrc", track.isrc);
        }
        node.put("popularity", track.popularity);
        return node;
    }

    private ObjectNode simplifiedTrack(Track track) {
        ObjectNode node = JSON.createObjectNode();
        ArrayNode artistNodes = node.putArray("artists");
        track.artistIds.forEach(id -> artistNodes.add(simplifiedArtist(artists.get(id))));
        node.put("disc_number", 1);
        node.put("duration_ms", track.durationMs);
        node.put("explicit", track.explicit);
        common(node, "track", track.id, track.name);
        node.put("is_local", false);
        node.putNull("preview_url"); // deprecated by Spotify, null for new apps
        node.put("track_number", tracksOf(track.albumId).indexOf(track) + 1);
        return node;
    }

    private ObjectNode simplifiedAlbum(Album album) {
        ObjectNode node = JSON.createObjectNode();
        node.put("album_type", album.albumType);
        node.put("total_tracks", tracksOf(album.id).size());
        common(node, "album", album.id, album.name);
        node.set("images", images(album.id));
        node.put("release_date", album.releaseDate);
        node.put("release_date_precision", album.precision);
        ArrayNode artistNodes = node.putArray("artists");
        albumArtists(album.id).forEach(artist -> artistNodes.add(simplifiedArtist(artist)));
        return node;
    }

    private ObjectNode fullAlbum(Album album) {
        ObjectNode node = simplifiedAlbum(album);
        List<ObjectNode> items = tracksOf(album.id).stream().map(this::simplifiedTrack).toList();
        node.set("tracks", paging(apiUrl("/albums/" + album.id + "/tracks"), "", items, 50, 0));
        node.putArray("copyrights");
        node.putObject("external_ids").put("upc", upc(album.id));
        node.putArray("genres"); // documented as always empty
        node.put("label", "Encore Test Records");
        node.put("popularity", popularity(album.id));
        return node;
    }

    private ObjectNode simplifiedArtist(Artist artist) {
        ObjectNode node = JSON.createObjectNode();
        common(node, "artist", artist.id, artist.name);
        return node;
    }

    private ObjectNode fullArtist(Artist artist) {
        ObjectNode node = simplifiedArtist(artist);
        ObjectNode followers = node.putObject("followers");
        followers.putNull("href");
        followers.put("total", Math.abs(artist.id.hashCode() % 5_000_000));
        ArrayNode genres = node.putArray("genres");
        artist.genres.forEach(genres::add);
        node.set("images", images(artist.id));
        node.put("popularity", popularity(artist.id));
        return node;
    }

    /** Fields every Spotify object shares: external_urls, href, id, name, type, uri. */
    private void common(ObjectNode node, String type, String id, String name) {
        node.putObject("external_urls").put("spotify", "https://open.spotify.com/" + type + "/" + id);
        node.put("href", apiUrl("/" + type + "s/" + id));
        node.put("id", id);
        node.put("name", name);
        node.put("type", type);
        node.put("uri", "spotify:" + type + ":" + id);
    }

    private static ArrayNode images(String id) {
        ArrayNode images = JSON.createArrayNode();
        for (int size : new int[] {640, 300, 64}) {
            images.addObject()
                    .put("url", "https://i.scdn.co/image/" + String.format("%040x", Math.abs((long) (id + size).hashCode())))
                    .put("height", size)
                    .put("width", size);
        }
        return images;
    }

    private List<Track> tracksOf(String albumId) {
        return tracks.values().stream().filter(t -> t.albumId.equals(albumId)).toList();
    }

    private List<Artist> albumArtists(String albumId) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        tracksOf(albumId).forEach(t -> ids.addAll(t.artistIds));
        return ids.stream().map(artists::get).toList();
    }

    private String apiUrl(String path) {
        return baseUrl() + "/v1" + path;
    }

    /** Stable pseudo-random values, so a test can rely on them across runs. */
    private static int popularity(String id) {
        return Math.abs(id.hashCode() % 101);
    }

    private static String upc(String id) {
        return String.format("%012d", Math.abs((long) id.hashCode()) % 1_000_000_000_000L);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    private Fault takeFault(String request) {
        synchronized (faults) {
            for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
                Fault fault = it.next();
                if (matcher(fault.prefix).test(request)) {
                    if (fault.remaining.decrementAndGet() == 0) {
                        it.remove();
                    }
                    return fault;
                }
            }
            return null;
        }
    }

    /** Prefixes starting with "/" ignore the method; see the class comment. */
    private static Predicate<String> matcher(String prefix) {
        return prefix.startsWith("/")
                ? request -> request.substring(request.indexOf(' ') + 1).startsWith(prefix)
                : request -> request.startsWith(prefix);
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Spotify ID (22 base-62 characters): " + id);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "The access token expired";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 429 -> "API rate limit exceeded";
            case 500 -> "Server error";
            case 502 -> "Bad gateway";
            case 503 -> "Service unavailable";
            default -> "Error " + status;
        };
    }

    /** Web API error body: {@code {"error":{"status":N,"message":"..."[,"reason":"..."]}}}. */
    static String errorBody(int status, String message, String reason) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("status", status).put("message", message);
        if (reason != null) {
            error.put("reason", reason);
        }
        return write(body);
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Track(String id, String name, String albumId, List<String> artistIds, String isrc,
                         int durationMs, boolean explicit, int popularity) {
    }

    private record Album(String id, String name, String albumType, String releaseDate, String precision) {
    }

    private record Artist(String id, String name, List<String> genres) {
    }

    private record AuthCode(String clientId, String redirectUri, String challenge, String user,
                            java.util.Set<String> scopes, Instant expiresAt,
                            java.util.concurrent.atomic.AtomicBoolean used) {
    }

    /** A refresh token's grant; {@code revoked} by {@link #revoke}, {@code replaced} by a rotation (kept to be listed). */
    private record RefreshGrant(String user, java.util.Set<String> scopes, boolean revoked, boolean replaced) {
        RefreshGrant asRevoked() {
            return new RefreshGrant(user, scopes, true, replaced);
        }

        RefreshGrant asReplaced() {
            return new RefreshGrant(user, scopes, revoked, true);
        }
    }

    private record UserToken(String user, java.util.Set<String> scopes) {
    }

    private record Fault(String prefix, AtomicInteger remaining, int status, Map<String, String> headers, String body) {
    }

    private record Response(int status, Map<String, String> headers, String body) {
        static Response ok(ObjectNode body) {
            return new Response(200, Map.of(), write(body));
        }

        static Response error(int status, String message) {
            return new Response(status, Map.of(), errorBody(status, message, null));
        }

        /** An HTML page, as the accounts service shows errors about the app itself. */
        static Response page(int status, String text) {
            return new Response(status, Map.of("Content-Type", "text/html; charset=utf-8"),
                    "<!doctype html><html><body><h1>" + text + "</h1></body></html>");
        }

        /** Accounts-service error body: {@code {"error":"code","error_description":"..."}}, always 400 here. */
        static Response accountsError(String error, String description) {
            ObjectNode body = JSON.createObjectNode().put("error", error).put("error_description", description);
            return new Response(400, Map.of(), write(body));
        }
    }

    /**
     * Enough of Spotify's search syntax for matching export rows: free words and the field filters
     * {@code track:}, {@code artist:}, {@code album:}, {@code isrc:}, {@code year:}, values optionally
     * quoted. Matching is a case-insensitive substring test (Spotify's is fuzzier); isrc and year are exact.
     */
    private record SearchQuery(List<String> words, Map<String, List<String>> filters) {

        static SearchQuery parse(String q) {
            List<String> words = new ArrayList<>();
            Map<String, List<String>> filters = new LinkedHashMap<>();
            Matcher m = SEARCH_TOKEN.matcher(q);
            while (m.find()) {
                String value = m.group(2).replace("\"", "").toLowerCase(Locale.ROOT);
                if (m.group(1) == null) {
                    words.add(value);
                } else {
                    String field = m.group(1).substring(0, m.group(1).length() - 1).toLowerCase(Locale.ROOT);
                    filters.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
                }
            }
            return new SearchQuery(words, filters);
        }

        /** {@code fields} maps filter names (track, artist, album, isrc, year) to the entity's text for them. */
        boolean matches(Map<String, String> fields) {
            String all = String.join("\n", fields.values()).toLowerCase(Locale.ROOT);
            if (!words.stream().allMatch(all::contains)) {
                return false;
            }
            for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
                String text = fields.get(filter.getKey());
                if (text == null) {
                    return false;
                }
                String lower = text.toLowerCase(Locale.ROOT);
                for (String value : filter.getValue()) {
                    boolean ok = switch (filter.getKey()) {
                        case "isrc" -> lower.equals(value);
                        case "year" -> inYears(lower, value);
                        default -> lower.contains(value);
                    };
                    if (!ok) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** {@code year:1999} or {@code year:1990-1999}. */
        private static boolean inYears(String year, String value) {
            String[] range = value.split("-", 2);
            return year.compareTo(range[0]) >= 0 && year.compareTo(range.length == 2 ? range[1] : range[0]) <= 0;
        }
    }
}
