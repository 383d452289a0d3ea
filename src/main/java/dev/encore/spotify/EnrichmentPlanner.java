package dev.encore.spotify;

import dev.encore.store.CatalogueStore;
import dev.encore.store.CatalogueStore.NameOnly;
import dev.encore.store.EntityKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans enrichment for the routes: starts a run in the mode in force, keeps the IDs worth asking
 * for, groups them into calls, turns a group of IDs (or a name to search) into a {@link SpotifyRequest}, and
 * that request into the headers camel-http sends.
 */
public final class EnrichmentPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentPlanner.class);
    /** The learned setting of auto mode: "forbidden" once Spotify refused a batch endpoint. */
    static final String BATCH_SETTING = "spotify.batch-endpoints";
    /** A Spotify ID: 22 base-62 characters; anything else (local files, garbage) is never sent. */
    private static final Pattern VALID_ID = Pattern.compile("[0-9A-Za-z]{22}");

    private final CatalogueStore store;
    private final AccessTokens tokens;
    private final ApiMode mode;
    private final SpotifyPause pause;
    private final EnrichmentStats stats;

    /** @param tokens null when no client id is configured: enrichment is then off */
    public EnrichmentPlanner(CatalogueStore store, AccessTokens tokens, ApiMode mode, SpotifyPause pause,
            EnrichmentStats stats, MeterRegistry metrics) {
        this.store = store;
        this.tokens = tokens;
        this.mode = mode;
        this.pause = pause;
        this.stats = stats;
        Gauge.builder("encore.spotify.pause.remaining", this, p -> p.quietly(() -> p.pause.activeUntil()
                        .map(t -> (double) Duration.between(p.pause.now(), t).toSeconds()).orElse(0.0)))
                .description("Seconds until Spotify calls may resume after a 429 (0: not paused)")
                .baseUnit("seconds").register(metrics);
        Gauge.builder("encore.spotify.batch.forbidden", this, p -> p.quietly(() -> p.useBatch() ? 0.0 : 1.0))
                .description("1 when Encore asks one ID per call (single mode, or auto after a 403)").register(metrics);
    }

    /** A new run in the mode in force; said once when a pause keeps it from calling. */
    public EnrichmentRun startRun() throws SQLException {
        EnrichmentRun run = new EnrichmentRun(tokens != null, tokens != null && useBatch(), pause);
        Optional<Instant> paused = tokens == null ? Optional.empty() : pause.activeUntil();
        paused.ifPresent(until -> LOG.info("Spotify calls are paused until {} (a 429 asked for it); nothing is described now", until));
        return run;
    }

    /** The IDs of the SQL step's rows worth asking for, in their order. */
    public List<String> idsToDescribe(List<Map<String, Object>> rows, EntityKind kind, EnrichmentRun run) {
        List<String> ids = rows.stream().map(r -> (String) r.get("id"))
                .filter(id -> id != null && VALID_ID.matcher(id).matches()).toList();
        if (!ids.isEmpty()) {
            int size = run.batchSize(kind);
            LOG.info("{} {} to describe in {} call(s) ({})", ids.size(), kind.plural(), (ids.size() + size - 1) / size,
                    size > 1 ? "batch" : "one per ID");
        }
        return ids;
    }

    /** The IDs in consecutive groups of {@code size}, the last one smaller: one call each. */
    public static List<List<String>> groups(List<String> ids, int size) {
        List<List<String>> groups = new java.util.ArrayList<>((ids.size() + size - 1) / size);
        for (int i = 0; i < ids.size(); i += size) {
            groups.add(ids.subList(i, Math.min(i + size, ids.size())));
        }
        return groups;
    }

    /** The call for one group of IDs: a batch call in batch mode, and for any group gathered as one. */
    public SpotifyRequest request(EntityKind kind, List<String> ids, EnrichmentRun run) {
        return new SpotifyRequest(kind, List.copyOf(ids), run.isBatch() || ids.size() > 1);
    }

    /** The search for one row of the unsearched-names SQL step. */
    public SpotifyRequest search(Map<String, Object> row) {
        return SpotifyRequest.search(new NameOnly(((Number) row.get("content_hash")).longValue(),
                (String) row.get("artist_name"), (String) row.get("track_name")));
    }

    /** Turns the request in the body into the headers camel-http sends, with a bearer token. */
    public void prepare(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        SpotifyRequest request = in.getMandatoryBody(SpotifyRequest.class);
        exchange.setProperty(SpotifyRequest.PROPERTY, request);
        in.setHeader("Authorization", tokens.bearer());
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, request.path());
        in.setHeader(Exchange.HTTP_QUERY, request.query());
        in.setHeader("Accept", "application/json");
        in.setBody(null);
        stats.called(request.endpoint());
    }

    /** What enrichment is doing, for {@code GET /api/enrichment}; field names become snake_case JSON. */
    public record Status(boolean enabled, String apiMode, boolean batchCalls, String pausedUntil) {
    }

    public Status status() throws SQLException {
        return new Status(tokens != null, mode.name().toLowerCase(Locale.ROOT), useBatch(),
                pause.activeUntil().map(Instant::toString).orElse(null));
    }

    boolean useBatch() throws SQLException {
        return switch (mode) {
            case BATCH -> true;
            case SINGLE -> false;
            case AUTO -> !store.setting(BATCH_SETTING).map("forbidden"::equals).orElse(false);
        };
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
}
