package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.store.CatalogueStore;
import dev.encore.store.CatalogueStore.AlbumRow;
import dev.encore.store.CatalogueStore.ArtistRow;
import dev.encore.store.CatalogueStore.TrackRow;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the enrichment routes (routes/enrich*.camel.yaml): which calls to make, how to
 * make each, and what to do with every kind of answer. The HTTP call itself is camel-http.
 */
public final class SpotifyEnrichment {
    private static final Logger LOG = LoggerFactory.getLogger(SpotifyEnrichment.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The {@code api_pause} row and the name in logs. */
    public static final String API = "spotify-web-api";
    static final String BATCH_SETTING = "spotify.batch-endpoints";
    /** The longest pause a Retry-After can ask for; Spotify's longest seen was ~21 hours. */
    static final Duration MAX_PAUSE = Duration.ofDays(7);
    /** The phase that looks up name-only streams before the tracks are described. */
    public static final String SEARCH = "SEARCH";
    /** The exchange property holding the {@link SpotifyRequest} under way. */
    public static final String REQUEST = "EncoreSpotifyRequest";

    private final CatalogueStore store;
    private final AccessTokens tokens;
    private final ApiMode mode;
    private final Clock clock;
    private final Map<String, AtomicInteger> calls = new TreeMap<>();
    private final AtomicInteger described = new AtomicInteger();
    private final AtomicInteger unresolved = new AtomicInteger();
    private final MeterRegistry metrics;
    private final java.util.concurrent.atomic.AtomicBoolean standDown = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger matched = new AtomicInteger();
    private final AtomicInteger unmatched = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean switchedToSingle = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param tokens  null when no client id is configured: enrichment is then off
     * @param metrics where the pause, the batch switch and the calls show up (/observe/metrics)
     */
    public SpotifyEnrichment(CatalogueStore store, AccessTokens tokens, ApiMode mode, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.tokens = tokens;
        this.mode = mode;
        this.clock = clock;
        this.metrics = metrics;
        Gauge.builder("encore.spotify.pause.remaining", this, e -> e.quietly(() -> e.activePause()
                        .map(t -> (double) Duration.between(clock.instant(), t).toSeconds()).orElse(0.0)))
                .description("Seconds until Spotify calls may resume after a 429 (0: not paused)")
                .baseUnit("seconds").register(metrics);
        Gauge.builder("encore.spotify.batch.forbidden", this, e -> e.quietly(() -> e.useBatch() ? 0.0 : 1.0))
                .description("1 when Encore asks one ID per call (single mode, or auto after a 403)").register(metrics);
    }

    @FunctionalInterface
    private interface Reading {
        double read() throws SQLException;
    }

    /** A gauge must not throw at scrape time; an unreadable database shows as NaN. */
    private double quietly(Reading reading) {
        try {
            return reading.read();
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /** The calls that describe every missing object of a kind, as few as the mode allows; none while paused. */
    public List<SpotifyRequest> plan(String kindName) throws SQLException {
        if (tokens == null) {
            return List.of();
        }
        Optional<Instant> paused = activePause();
        if (paused.isPresent()) {
            LOG.info("Spotify calls are paused until {} (a 429 asked for it); nothing is described now", paused.get());
            return List.of();
        }
        if (kindName.equals(SEARCH)) {
            List<SpotifyRequest> searches = store.unsearchedNames().stream().map(SpotifyRequest::search).toList();
            if (!searches.isEmpty()) {
                LOG.info("{} name-only track(s) to look up with the Search API", searches.size());
            }
            return searches;
        }
        EntityKind kind = EntityKind.valueOf(kindName);
        List<String> ids = store.missingIds(kind);
        boolean batch = useBatch();
        List<SpotifyRequest> requests = new ArrayList<>();
        int size = batch ? kind.batchLimit() : 1;
        for (int i = 0; i < ids.size(); i += size) {
            requests.add(new SpotifyRequest(kind, List.copyOf(ids.subList(i, Math.min(i + size, ids.size()))), batch));
        }
        if (!ids.isEmpty()) {
            LOG.info("{} {} to describe in {} call(s) ({})", ids.size(), kind.plural(), requests.size(), batch ? "batch" : "one per ID");
        }
        return requests;
    }

    /** Starts a run: whatever made the previous run stand down may be over. */
    public void startRun() {
        standDown.set(false);
    }

    /**
     * False once a pause is in force, once this run stood down after a failure, or for a batch call
     * planned before Spotify forbade batch calls.
     */
    public boolean mayCall(SpotifyRequest request) throws SQLException {
        return !standDown.get() && activePause().isEmpty() && !(request.batch() && !useBatch());
    }

    /** True once after a round in which Spotify refused a batch endpoint: the IDs are to be asked one by one now. */
    public boolean replanNeeded() {
        return switchedToSingle.getAndSet(false);
    }

    /** Turns the planned request in the body into the headers camel-http sends. */
    public void prepare(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        SpotifyRequest request = in.getMandatoryBody(SpotifyRequest.class);
        exchange.setProperty(REQUEST, request);
        in.setHeader("Authorization", tokens.bearer());
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, request.path());
        in.setHeader(Exchange.HTTP_QUERY, request.query());
        in.setHeader("Accept", "application/json");
        in.setBody(null);
        count(request.endpoint());
    }

    /** Stores the answer: objects under the ID asked for, {@code null} entries as unresolvable. */
    public void store(Exchange exchange) throws Exception {
        SpotifyRequest request = exchange.getProperty(REQUEST, SpotifyRequest.class);
        exchange.getMessage().removeHeader("Authorization");
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getMessage().getMandatoryBody(String.class));
        } catch (IOException e) {
            throw new SpotifyUnavailableException(request.endpoint() + " answered 200 with a body that is not JSON", e);
        }
        if (request.isSearch()) {
            String trackId = NameMatcher.exactMatch(request.names(), body.path("tracks").path("items"));
            store.saveNameMatch(request.names(), trackId);
            (trackId == null ? unmatched : matched).incrementAndGet();
            return;
        }
        List<JsonNode> objects = new ArrayList<>();
        if (request.batch()) {
            body.path(request.kind().plural()).forEach(objects::add);
        } else if (body.hasNonNull("id")) {
            objects.add(body);
        }
        // only an explicit null at its own position means "no such ID"; any other shape is not Spotify's contract
        if (objects.size() != request.ids().size()) {
            throw new SpotifyUnavailableException(request.endpoint() + " answered 200 with " + objects.size()
                    + " object(s) for " + request.ids().size() + " ID(s); the IDs are left for the next run");
        }
        List<TrackRow> tracks = new ArrayList<>();
        List<AlbumRow> albums = new ArrayList<>();
        List<ArtistRow> artists = new ArrayList<>();
        for (int i = 0; i < request.ids().size(); i++) {
            String id = request.ids().get(i);
            JsonNode o = objects.get(i);
            if (o.isNull()) {
                store.markUnresolved(request.kind(), id, 200, "Spotify answered null for this ID");
                unresolved.incrementAndGet();
                continue;
            }
            switch (request.kind()) {
                case TRACK -> tracks.add(CatalogueMapper.track(id, o));
                case ALBUM -> albums.add(CatalogueMapper.album(id, o));
                case ARTIST -> artists.add(CatalogueMapper.artist(id, o));
            }
        }
        store.saveTracks(tracks);
        store.saveAlbums(albums);
        store.saveArtists(artists, "spotify");
        described.addAndGet(tracks.size() + albums.size() + artists.size());
    }

    /** 429: a pause persisted in the database, honoured by every replica and across restarts. */
    public void rateLimited(Exchange exchange) throws SQLException {
        HttpOperationFailedException e = failure(exchange);
        Duration wait = retryAfter(header(e, "Retry-After"), clock.instant());
        Instant resumeAt = clock.instant().plus(wait);
        String reason = "HTTP 429" + (e.getResponseBody() != null && e.getResponseBody().contains("QUOTA_EXCEEDED")
                ? " (quota exceeded)" : " (rate limit)") + ", Retry-After " + wait.toSeconds() + " s";
        store.pause(API, resumeAt, reason);
        LOG.warn("Spotify asked Encore to wait: no call before {} ({})", resumeAt, reason);
    }

    /** 404 on a single-ID call: the ID is recorded as unresolvable and not asked again. */
    public void notFound(Exchange exchange) throws SQLException {
        SpotifyRequest request = exchange.getProperty(REQUEST, SpotifyRequest.class);
        String message = errorMessage(failure(exchange));
        for (String id : request.ids()) {
            store.markUnresolved(request.kind(), id, 404, message);
            unresolved.incrementAndGet();
        }
    }

    /** Other 4xx: on a single-ID call the ID is unresolvable; on a batch or search call the run stands down. */
    public void badRequest(Exchange exchange) throws SQLException {
        SpotifyRequest request = exchange.getProperty(REQUEST, SpotifyRequest.class);
        if (request != null && !request.batch() && !request.isSearch()) {
            notFound(exchange);
        } else {
            leftForNextRun(exchange);
        }
    }

    /** 403: in auto mode a refused batch endpoint switches Encore to one call per ID, for good. */
    public void forbidden(Exchange exchange) throws SQLException {
        SpotifyRequest request = exchange.getProperty(REQUEST, SpotifyRequest.class);
        if (request.batch() && mode == ApiMode.AUTO) {
            store.setSetting(BATCH_SETTING, "forbidden");
            switchedToSingle.set(true);
            LOG.warn("Spotify answered 403 to {}: this app may not use batch endpoints (Development Mode since "
                    + "February 2026). Switching to one call per ID for good.", request.endpoint());
        } else {
            LOG.error("Spotify answered 403 to {} ({}). Check the app's mode and its owner's Premium subscription; "
                    + "the IDs are left for the next run.", request.endpoint(), errorMessage(failure(exchange)));
        }
    }

    /** Before the single retry of a call that got 401: a new token. */
    public void renewToken(Exchange exchange) throws Exception {
        tokens.invalidate();
        exchange.getMessage().setHeader("Authorization", tokens.bearer());
        exchange.getMessage().setBody(null);
    }

    /** After the bounded retries of a 5xx or a network error: the IDs stay missing and the next run asks again. */
    public void leftForNextRun(Exchange exchange) {
        SpotifyRequest request = exchange.getProperty(REQUEST, SpotifyRequest.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        standDown.set(true); // Spotify is failing: no more calls this run, the next run tries again
        LOG.warn("{} failed ({}); the rest of this run's calls wait for the next run", request == null ? "A call" : request.endpoint(),
                e instanceof HttpOperationFailedException h ? "HTTP " + h.getStatusCode() : e == null ? "?" : e.getMessage());
    }

    /** Logs, at the end of a run, what this process has done so far (nothing when enrichment is off). */
    public void logSummary() throws SQLException {
        if (tokens != null) {
            Summary s = summary();
            LOG.info("Enrichment: {} call(s) so far {}, {} described, {} unresolvable, names found by search {}/{}{}",
                    s.totalCalls(), s.calls(), s.described(), s.unresolved(), s.namesMatched(),
                    s.namesMatched() + s.namesUnmatched(), s.pausedUntil() == null ? "" : ", paused until " + s.pausedUntil());
        }
    }

    /** What this process did so far, for {@code encore enrich} and the logs. */
    public Summary summary() throws SQLException {
        Map<String, Integer> made = new TreeMap<>();
        synchronized (calls) {
            calls.forEach((k, v) -> made.put(k, v.get()));
        }
        return new Summary(made, described.get(), unresolved.get(), matched.get(), unmatched.get(),
                activePause().orElse(null), tokens == null ? 0 : tokens.fetched(), tokens != null);
    }

    public record Summary(Map<String, Integer> calls, int described, int unresolved, int namesMatched,
            int namesUnmatched, Instant pausedUntil, int tokens, boolean enabled) {
        public int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private boolean useBatch() throws SQLException {
        return switch (mode) {
            case BATCH -> true;
            case SINGLE -> false;
            case AUTO -> !store.setting(BATCH_SETTING).map("forbidden"::equals).orElse(false);
        };
    }

    /** What enrichment is doing, for {@code GET /api/enrichment}; field names become snake_case JSON. */
    public record Status(boolean enabled, String apiMode, boolean batchCalls, String pausedUntil) {
    }

    public Status status() throws SQLException {
        return new Status(tokens != null, mode.name().toLowerCase(java.util.Locale.ROOT), useBatch(),
                activePause().map(Instant::toString).orElse(null));
    }

    private Optional<Instant> activePause() throws SQLException {
        return store.pausedUntil(API).filter(clock.instant()::isBefore);
    }

    private void count(String endpoint) {
        synchronized (calls) {
            calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
        }
        metrics.counter("encore.spotify.calls", "endpoint", endpoint).increment();
    }

    /** HTTP header names are case-insensitive (HTTP/2 sends them lower-case). */
    private static String header(HttpOperationFailedException e, String name) {
        if (e.getResponseHeaders() != null) {
            for (Map.Entry<String, String> h : e.getResponseHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue();
                }
            }
        }
        return null;
    }

    private static HttpOperationFailedException failure(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
    }

    /** Retry-After in seconds, or as an HTTP date; a minute when it is missing or unreadable. */
    static Duration retryAfter(String value, Instant now) {
        Duration wait;
        if (value == null || value.isBlank()) {
            wait = Duration.ofMinutes(1);
        } else {
            try {
                wait = Duration.ofSeconds(Math.max(1, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                try {
                    wait = Duration.between(now, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                } catch (DateTimeParseException notADate) {
                    wait = Duration.ofMinutes(1);
                }
            }
        }
        // a garbled header must neither skip the pause nor stop Encore for good
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : wait;
    }

    private static String errorMessage(HttpOperationFailedException e) {
        try {
            JsonNode body = JSON.readTree(e.getResponseBody() == null ? "{}" : e.getResponseBody());
            String m = body.path("error").path("message").asText("");
            return "HTTP " + e.getStatusCode() + (m.isEmpty() ? "" : ": " + m);
        } catch (IOException notJson) {
            return "HTTP " + e.getStatusCode();
        }
    }
}
