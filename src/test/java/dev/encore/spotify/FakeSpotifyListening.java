package dev.encore.spotify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Web API's user endpoints in the real wire format (reference/spotify.md 2.5, 3), per Spotify
 * user: {@code GET /v1/me/player/recently-played}, {@code /v1/me/playlists},
 * {@code /v1/playlists/{id}/items}, {@code /v1/me/top/{type}} and {@code /v1/me/tracks}. Mounted
 * on a {@link FakeSpotify} ({@link FakeSpotify#mount}), which adds its latency and scripted faults
 * (429s with Retry-After, QUOTA_EXCEEDED) in front.
 *
 * <ul>
 *   <li>A user token is checked with the function given (token to Spotify user); anything else is
 *       a 401 "Invalid access token", as Spotify answers.</li>
 *   <li>Recently played: cursor paging ({@code cursors.after/before} in Unix ms, {@code next}),
 *       newest first, {@code played_at} ISO-8601 UTC with milliseconds; only the 50 most recent
 *       plays are retrievable at all; {@code after} returns the retrievable plays after it, and
 *       {@code after} with {@code before} is a 400.</li>
 *   <li>Playlists, items, top items and saved tracks: offset paging ({@code limit} up to 50,
 *       {@code next}, {@code previous}, {@code total}). A playlist's {@code items} reference is
 *       present only when the user owns it or it is collaborative; its {@code /items} then answer,
 *       anyone else's answer 403.</li>
 *   <li>Every 200 body is kept ({@link #answers}) so a test can compare it byte for byte with the
 *       raw zone; calls are counted per user and endpoint ({@link #calls}).</li>
 * </ul>
 */
public final class FakeSpotifyListening {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_S = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern ITEMS = Pattern.compile("/v1/playlists/([^/]+)/items");
    private static final Pattern TOP = Pattern.compile("/v1/me/top/([^/]+)");
    private static final int RETRIEVABLE_PLAYS = 50;
    private static final String API = "https://api.spotify.com/v1";

    private final Function<String, Optional<String>> userOfToken;
    private final Map<String, Listener> listeners = new HashMap<>();
    private final Map<String, Playlist> playlists = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<UserFault> faults = new ArrayList<>();
    private volatile CountDownLatch held;
    private final AtomicInteger waiting = new AtomicInteger();

    /** @param userOfToken the Spotify user an access token belongs to, if it is a valid user token */
    public FakeSpotifyListening(Function<String, Optional<String>> userOfToken) {
        this.userOfToken = userOfToken;
    }

    /** A track as the answers show it; {@link #track(int)} makes distinct ones. */
    public record Track(String id, String name, String artistId, String artistName, String albumId, String albumName,
            int durationMs, String isrc) {
    }

    /** Track number {@code n}: its own ID, album and artist (one artist per ten tracks). */
    public static Track track(int n) {
        return new Track(id("t", n), "Song " + n, id("r", n / 10), "Artist " + n / 10, id("a", n / 10), "Album " + n / 10,
                180_000 + n, "USENC" + String.format("%07d", n));
    }

    public static String id(String prefix, int n) {
        String s = prefix + n;
        return s + "x".repeat(22 - s.length());
    }

    private record Play(Track track, Instant playedAt, String contextUri) {
    }

    private record Saved(Track track, Instant addedAt) {
    }

    private record Playlist(String id, String name, String owner, boolean collaborative, String snapshotId, List<Track> items) {
    }

    private record Call(String user, String request) {
    }

    private record UserFault(String user, String prefix, AtomicInteger times, int status, Map<String, String> headers, String body) {
    }

    private static final class Listener {
        final List<Play> plays = new ArrayList<>();
        final List<String> playlists = new ArrayList<>();
        final Map<String, List<Track>> topTracks = new HashMap<>();
        final Map<String, List<Track>> topArtists = new HashMap<>();
        final List<Saved> saved = new ArrayList<>();
        final Map<String, List<byte[]>> answers = new HashMap<>();
    }

    /** The answer to one request: what FakeSpotify sends ({@link #NO_ANSWER}: it closes the connection instead). */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    /** The status of an {@link Answer} that is never sent: the connection is closed without a response. */
    public static final int NO_ANSWER = 0;

    // ------------------------------------------------------------------------------------------------
    // Listening data
    // ------------------------------------------------------------------------------------------------

    public synchronized FakeSpotifyListening play(String user, Track track, Instant playedAt, String contextUri) {
        listener(user).plays.add(new Play(track, playedAt, contextUri));
        return this;
    }

    /** {@code count} plays of distinct tracks, three minutes apart, the last at {@code last}. */
    public synchronized FakeSpotifyListening plays(String user, int firstTrack, int count, Instant last) {
        for (int i = 0; i < count; i++) {
            play(user, track(firstTrack + i), last.minusSeconds(180L * (count - 1 - i)), null);
        }
        return this;
    }

    /** A playlist in the user's library; another owner's playlist that is not collaborative is theirs only. */
    public synchronized FakeSpotifyListening playlist(String user, String id, String owner, boolean collaborative,
            String snapshotId, List<Track> items) {
        playlists.put(id, new Playlist(id, "Playlist " + id, owner, collaborative, snapshotId, List.copyOf(items)));
        if (!listener(user).playlists.contains(id)) {
            listener(user).playlists.add(id);
        }
        return this;
    }

    /** The top items of one time range: {@code type} tracks or artists (the tracks' artists). */
    public synchronized FakeSpotifyListening top(String user, String type, String timeRange, List<Track> items) {
        (type.equals("tracks") ? listener(user).topTracks : listener(user).topArtists).put(timeRange, List.copyOf(items));
        return this;
    }

    public synchronized FakeSpotifyListening save(String user, Track track, Instant addedAt) {
        listener(user).saved.add(new Saved(track, addedAt));
        return this;
    }

    // ------------------------------------------------------------------------------------------------
    // Faults, holding, introspection
    // ------------------------------------------------------------------------------------------------

    /** The user's next {@code times} requests whose path starts with {@code pathPrefix} answer {@code status}. */
    public synchronized FakeSpotifyListening failNext(String user, String pathPrefix, int times, int status) {
        faults.add(new UserFault(user, pathPrefix, new AtomicInteger(times), status, Map.of(),
                FakeSpotify.errorBody(status, FakeSpotify.defaultMessage(status), null)));
        return this;
    }

    /**
     * The user's next {@code times} requests whose path starts with {@code pathPrefix} get no answer:
     * the server closes the connection once it has read the request, as a host or proxy that drops
     * it does (the client sees the connection closed under it, an I/O error, not an HTTP status).
     */
    public synchronized FakeSpotifyListening dropNext(String user, String pathPrefix, int times) {
        faults.add(new UserFault(user, pathPrefix, new AtomicInteger(times), NO_ANSWER, Map.of(), ""));
        return this;
    }

    /** Recently-played calls wait (after being counted) until {@link #release()}. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch latch = held;
        held = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Recently-played calls waiting for {@link #release()}. */
    public int waiting() {
        return waiting.get();
    }

    /** The user's calls whose {@code "GET /path?query"} starts with {@code prefix} (e.g. {@code "GET /v1/me/tracks"}). */
    public synchronized int calls(String user, String prefix) {
        return (int) calls.stream().filter(c -> c.user().equals(user) && c.request().startsWith(prefix)).count();
    }

    /** Everyone's calls matching {@code prefix}. */
    public synchronized int calls(String prefix) {
        return (int) calls.stream().filter(c -> c.request().startsWith(prefix)).count();
    }

    /** The distinct users with a call matching {@code prefix}, and how many each. */
    public synchronized Map<String, Integer> callsPerUser(String prefix) {
        Map<String, Integer> perUser = new LinkedHashMap<>();
        calls.stream().filter(c -> c.request().startsWith(prefix)).forEach(c -> perUser.merge(c.user(), 1, Integer::sum));
        return perUser;
    }

    public synchronized void resetCounters() {
        calls.clear();
    }

    /** The bodies of the user's 200 answers for {@code path} (no query), in order, as sent. */
    public synchronized List<byte[]> answers(String user, String path) {
        return List.copyOf(listener(user).answers.getOrDefault(path, List.of()));
    }

    // ------------------------------------------------------------------------------------------------
    // HTTP (called by FakeSpotify for every /v1 request)
    // ------------------------------------------------------------------------------------------------

    /** The answer to a request for one of the user endpoints, or null when the path is not one of them. */
    public Answer answer(String method, String path, String query, String authorization) {
        if (!(path.startsWith("/v1/me/") || ITEMS.matcher(path).matches())) {
            return null;
        }
        Optional<String> user = authorization != null && authorization.startsWith("Bearer ")
                ? userOfToken.apply(authorization.substring("Bearer ".length())) : Optional.empty();
        if (user.isEmpty()) {
            String message = authorization == null ? "No token provided" : "Invalid access token";
            return new Answer(401, Map.of("WWW-Authenticate", "Bearer realm=\"spotify\", error=\"invalid_token\", "
                    + "error_description=\"" + message + "\""), FakeSpotify.errorBody(401, message, null));
        }
        String request = method + " " + path + (query == null ? "" : "?" + query);
        UserFault fault;
        synchronized (this) {
            calls.add(new Call(user.get(), request));
            fault = takeFault(user.get(), path);
        }
        if (fault != null) {
            return new Answer(fault.status(), fault.headers(), fault.body());
        }
        if (path.equals("/v1/me/player/recently-played")) {
            CountDownLatch latch = held;
            if (latch != null) {
                waiting.incrementAndGet();
                try {
                    latch.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    waiting.decrementAndGet();
                }
            }
        }
        if (!method.equals("GET")) {
            return new Answer(405, Map.of(), FakeSpotify.errorBody(405, "Method not allowed", null));
        }
        Map<String, String> params = FakeSpotify.parseForm(query);
        Answer answer;
        synchronized (this) {
            answer = serve(user.get(), path, params);
            if (answer.status() == 200) {
                listener(user.get()).answers.computeIfAbsent(path, p -> new ArrayList<>())
                        .add(answer.body().getBytes(StandardCharsets.UTF_8));
            }
        }
        return answer;
    }

    private Answer serve(String user, String path, Map<String, String> params) {
        Integer limit = FakeSpotify.intParam(params, "limit", 20, 1, 50);
        if (limit == null) {
            return error(400, "Invalid limit");
        }
        Integer offset = FakeSpotify.intParam(params, "offset", 0, 0, 100_000);
        if (offset == null) {
            return error(400, "Invalid offset");
        }
        Listener l = listener(user);
        if (path.equals("/v1/me/player/recently-played")) {
            return recentlyPlayed(l, params, limit);
        }
        if (path.equals("/v1/me/playlists")) {
            List<ObjectNode> items = l.playlists.stream().map(id -> playlistObject(playlists.get(id), user)).toList();
            return ok(FakeSpotify.paging(API + "/me/playlists", "", items, limit, offset));
        }
        Matcher items = ITEMS.matcher(path);
        if (items.matches()) {
            Playlist p = playlists.get(items.group(1));
            if (p == null) {
                return error(404, "Resource not found");
            }
            if (!readable(p, user)) {
                return error(403, "Forbidden");
            }
            List<ObjectNode> elements = new ArrayList<>();
            for (int i = 0; i < p.items().size(); i++) {
                ObjectNode e = JSON.createObjectNode();
                e.put("added_at", ISO_S.format(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i)));
                e.set("added_by", userObject(p.owner()));
                e.put("is_local", false);
                e.set("item", trackObject(p.items().get(i)));
                e.set("track", trackObject(p.items().get(i)));
                elements.add(e);
            }
            return ok(FakeSpotify.paging(API + "/playlists/" + p.id() + "/items", "", elements, limit, offset));
        }
        Matcher top = TOP.matcher(path);
        if (top.matches()) {
            String type = top.group(1);
            if (!type.equals("tracks") && !type.equals("artists")) {
                return error(404, "Service not found");
            }
            String range = params.getOrDefault("time_range", "medium_term");
            if (!List.of("short_term", "medium_term", "long_term").contains(range)) {
                return error(400, "Invalid time range");
            }
            List<Track> tracks = (type.equals("tracks") ? l.topTracks : l.topArtists).getOrDefault(range, List.of());
            List<ObjectNode> objects = tracks.stream().map(t -> type.equals("tracks") ? trackObject(t) : artistObject(t)).toList();
            return ok(FakeSpotify.paging(API + "/me/top/" + type, "&time_range=" + range, objects, limit, offset));
        }
        if (path.equals("/v1/me/tracks")) {
            List<ObjectNode> saved = l.saved.stream().sorted(Comparator.comparing(Saved::addedAt).reversed()).map(s -> {
                ObjectNode o = JSON.createObjectNode();
                o.put("added_at", ISO_S.format(s.addedAt()));
                o.set("track", trackObject(s.track()));
                return o;
            }).toList();
            return ok(FakeSpotify.paging(API + "/me/tracks", "", saved, limit, offset));
        }
        return error(404, "Service not found");
    }

    private Answer recentlyPlayed(Listener l, Map<String, String> params, int limit) {
        Long after = longParam(params.get("after"));
        Long before = longParam(params.get("before"));
        if ((params.containsKey("after") && after == null) || (params.containsKey("before") && before == null)) {
            return error(400, "Invalid cursor");
        }
        if (after != null && before != null) {
            return error(400, "Only one of after or before may be given");
        }
        List<Play> retrievable = l.plays.stream().sorted(Comparator.comparing(Play::playedAt).reversed())
                .limit(RETRIEVABLE_PLAYS).toList();
        List<Play> matching = retrievable.stream()
                .filter(p -> after == null || p.playedAt().toEpochMilli() > after)
                .filter(p -> before == null || p.playedAt().toEpochMilli() < before).toList();
        List<Play> page = matching.stream().limit(limit).toList();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (Play p : page) {
            ObjectNode item = items.addObject();
            item.set("track", trackObject(p.track()));
            item.put("played_at", ISO_MS.format(p.playedAt()));
            if (p.contextUri() == null) {
                item.putNull("context");
            } else {
                ObjectNode context = item.putObject("context");
                String[] parts = p.contextUri().split(":");
                context.put("type", parts[1]);
                context.put("href", API + "/" + parts[1] + "s/" + parts[2]);
                context.putObject("external_urls").put("spotify", "https://open.spotify.com/" + parts[1] + "/" + parts[2]);
                context.put("uri", p.contextUri());
            }
        }
        String self = API + "/me/player/recently-played?" + (after != null ? "after=" + after + "&" : "")
                + (before != null ? "before=" + before + "&" : "") + "limit=" + limit;
        if (page.isEmpty()) {
            body.putNull("next");
            body.putNull("cursors");
        } else {
            long oldest = page.get(page.size() - 1).playedAt().toEpochMilli();
            boolean more = retrievable.stream().anyMatch(p -> p.playedAt().toEpochMilli() < oldest
                    && (after == null || p.playedAt().toEpochMilli() > after));
            if (more) {
                body.put("next", API + "/me/player/recently-played?before=" + oldest + "&limit=" + limit);
            } else {
                body.putNull("next");
            }
            ObjectNode cursors = body.putObject("cursors");
            cursors.put("after", Long.toString(page.get(0).playedAt().toEpochMilli()));
            cursors.put("before", Long.toString(oldest));
        }
        body.put("limit", limit);
        body.put("href", self);
        return ok(body);
    }

    // ------------------------------------------------------------------------------------------------
    // Objects
    // ------------------------------------------------------------------------------------------------

    private static boolean readable(Playlist p, String user) {
        return p.owner().equals(user) || p.collaborative();
    }

    private ObjectNode playlistObject(Playlist p, String user) {
        ObjectNode o = JSON.createObjectNode();
        o.put("collaborative", p.collaborative());
        o.put("description", "");
        o.putObject("external_urls").put("spotify", "https://open.spotify.com/playlist/" + p.id());
        o.put("href", API + "/playlists/" + p.id());
        o.put("id", p.id());
        o.putArray("images");
        o.put("name", p.name());
        o.set("owner", userObject(p.owner()));
        o.put("public", !p.collaborative());
        o.put("snapshot_id", p.snapshotId());
        if (readable(p, user)) {
            // only for playlists the user owns or collaborates on (reference/spotify.md 1.4, CL-FEB)
            ObjectNode items = o.putObject("items");
            items.put("href", API + "/playlists/" + p.id() + "/items");
            items.put("total", p.items().size());
        }
        o.put("type", "playlist");
        o.put("uri", "spotify:playlist:" + p.id());
        return o;
    }

    private static ObjectNode userObject(String id) {
        ObjectNode o = JSON.createObjectNode();
        o.put("display_name", id);
        o.putObject("external_urls").put("spotify", "https://open.spotify.com/user/" + id);
        o.put("href", API + "/users/" + id);
        o.put("id", id);
        o.put("type", "user");
        o.put("uri", "spotify:user:" + id);
        return o;
    }

    private static ObjectNode trackObject(Track t) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode album = o.putObject("album");
        album.put("album_type", "album");
        album.set("artists", JSON.createArrayNode().add(simpleArtist(t)));
        album.putObject("external_urls").put("spotify", "https://open.spotify.com/album/" + t.albumId());
        album.put("href", API + "/albums/" + t.albumId());
        album.put("id", t.albumId());
        album.putArray("images");
        album.put("name", t.albumName());
        album.put("release_date", "2020-01-01");
        album.put("release_date_precision", "day");
        album.put("total_tracks", 10);
        album.put("type", "album");
        album.put("uri", "spotify:album:" + t.albumId());
        o.set("artists", JSON.createArrayNode().add(simpleArtist(t)));
        o.put("disc_number", 1);
        o.put("duration_ms", t.durationMs());
        o.put("explicit", false);
        o.putObject("external_ids").put("isrc", t.isrc());
        o.putObject("external_urls").put("spotify", "https://open.spotify.com/track/" + t.id());
        o.put("href", API + "/tracks/" + t.id());
        o.put("id", t.id());
        o.put("is_local", false);
        o.put("name", t.name());
        o.put("popularity", 50);
        o.putNull("preview_url");
        o.put("track_number", 1);
        o.put("type", "track");
        o.put("uri", "spotify:track:" + t.id());
        return o;
    }

    private static ObjectNode simpleArtist(Track t) {
        ObjectNode a = JSON.createObjectNode();
        a.putObject("external_urls").put("spotify", "https://open.spotify.com/artist/" + t.artistId());
        a.put("href", API + "/artists/" + t.artistId());
        a.put("id", t.artistId());
        a.put("name", t.artistName());
        a.put("type", "artist");
        a.put("uri", "spotify:artist:" + t.artistId());
        return a;
    }

    /** Development Mode artist objects: no popularity or followers. */
    private static ObjectNode artistObject(Track t) {
        ObjectNode a = simpleArtist(t);
        a.putArray("genres");
        a.putArray("images");
        return a;
    }

    // ------------------------------------------------------------------------------------------------
    // Plumbing
    // ------------------------------------------------------------------------------------------------

    private Listener listener(String user) {
        return listeners.computeIfAbsent(user, u -> new Listener());
    }

    private UserFault takeFault(String user, String path) {
        for (UserFault f : faults) {
            if (f.user().equals(user) && path.startsWith(f.prefix()) && f.times().getAndDecrement() > 0) {
                return f;
            }
        }
        return null;
    }

    private static Answer ok(ObjectNode body) {
        return new Answer(200, Map.of(), write(body));
    }

    private static Answer error(int status, String message) {
        return new Answer(status, Map.of(), FakeSpotify.errorBody(status, message, null));
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long longParam(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
