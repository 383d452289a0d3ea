package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.store.CatalogueStore;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each failed Web API call means for the run (routes/spotify-errors.camel.yaml picks the
 * method by status code): a pause, a new token, a switch to single calls, an unresolvable ID, or
 * a stand-down until the next run.
 */
public final class SpotifyFailures {
    private static final Logger LOG = LoggerFactory.getLogger(SpotifyFailures.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest pause a Retry-After can ask for; Spotify's longest seen was ~21 hours. */
    static final Duration MAX_PAUSE = Duration.ofDays(7);

    private final CatalogueStore store;
    private final AccessTokens tokens;
    private final ApiMode mode;
    private final SpotifyPause pause;
    private final EnrichmentStats stats;

    public SpotifyFailures(CatalogueStore store, AccessTokens tokens, ApiMode mode, SpotifyPause pause, EnrichmentStats stats) {
        this.store = store;
        this.tokens = tokens;
        this.mode = mode;
        this.pause = pause;
        this.stats = stats;
    }

    /** 429: a pause persisted in the database, honoured by every replica and across restarts. */
    public void rateLimited(Exchange exchange) throws SQLException {
        HttpOperationFailedException e = failure(exchange);
        Duration wait = retryAfter(header(e, "Retry-After"), pause.now());
        Instant resumeAt = pause.now().plus(wait);
        String reason = "HTTP 429" + (e.getResponseBody() != null && e.getResponseBody().contains("QUOTA_EXCEEDED")
                ? " (quota exceeded)" : " (rate limit)") + ", Retry-After " + wait.toSeconds() + " s";
        pause.pause(resumeAt, reason);
        LOG.warn("Spotify asked Encore to wait: no call before {} ({})", resumeAt, reason);
    }

    /** 404 on a single-ID call: the ID is recorded as unresolvable and not asked again. */
    public void notFound(Exchange exchange) throws SQLException {
        if (refusedForCaller(exchange)) {
            return;
        }
        SpotifyRequest request = request(exchange);
        String message = errorMessage(failure(exchange));
        for (String id : request.ids()) {
            store.markUnresolved(request.kind(), id, 404, message);
        }
        stats.unresolved(request.ids().size());
    }

    /** Other 4xx: on a single-ID call the ID is unresolvable; on a batch or search call the run stands down. */
    public void badRequest(Exchange exchange) throws SQLException {
        if (refusedForCaller(exchange)) {
            return;
        }
        SpotifyRequest request = request(exchange);
        if (request != null && !request.batch() && !request.isSearch()) {
            notFound(exchange);
        } else {
            leftForNextRun(exchange);
        }
    }

    /** 403: in auto mode a refused batch endpoint switches Encore to one call per ID, for good. */
    public void forbidden(Exchange exchange) throws SQLException {
        if (refusedForCaller(exchange)) {
            return;
        }
        SpotifyRequest request = request(exchange);
        if (request.batch() && mode == ApiMode.AUTO) {
            store.setSetting(EnrichmentPlanner.BATCH_SETTING, "forbidden");
            exchange.getProperty(EnrichmentRun.PROPERTY, EnrichmentRun.class).switchToSingleCalls();
            LOG.warn("Spotify answered 403 to {}: this app may not use batch endpoints (Development Mode since "
                    + "February 2026). Switching to one call per ID for good.", request.endpoint());
        } else {
            LOG.error("Spotify answered 403 to {} ({}). Check the app's mode and its owner's Premium subscription; "
                    + "the IDs are left for the next run.", request.endpoint(), errorMessage(failure(exchange)));
        }
    }

    /** Before the single retry of a call that got 401: a new token. */
    public void renewToken(Exchange exchange) throws Exception {
        SpotifyCaller caller = caller(exchange);
        if (caller != null) {
            exchange.getMessage().setHeader("Authorization", caller.renewedAuthorization());
            exchange.getMessage().setBody(null);
            return;
        }
        tokens.invalidate();
        exchange.getMessage().setHeader("Authorization", tokens.bearer());
        exchange.getMessage().setBody(null);
    }

    /** Before each retry of a 5xx or a network error: the caller counts its calls. */
    public void retrying(Exchange exchange) {
        SpotifyCaller caller = caller(exchange);
        if (caller != null) {
            caller.retrying();
        }
    }

    /** After the bounded retries of a 5xx or a network error, or without a token: the run stands down. */
    public void leftForNextRun(Exchange exchange) {
        SpotifyRequest request = request(exchange);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SpotifyCaller caller = caller(exchange);
        if (caller != null) {
            caller.failed(e instanceof HttpOperationFailedException h ? errorMessage(h) : e == null ? "?" : e.getMessage());
            return;
        }
        EnrichmentRun run = exchange.getProperty(EnrichmentRun.PROPERTY, EnrichmentRun.class);
        if (run != null) {
            run.standDown();
        }
        stats.failed();
        LOG.warn("{} failed ({}); the rest of this run's calls wait for the next run", request == null ? "A call" : request.endpoint(),
                e instanceof HttpOperationFailedException h ? "HTTP " + h.getStatusCode() : e == null ? "?" : e.getMessage());
    }

    private static SpotifyCaller caller(Exchange exchange) {
        return exchange.getProperty(SpotifyCaller.PROPERTY, SpotifyCaller.class);
    }

    /** A 4xx for a caller other than enrichment: it decides what the refusal means. */
    private static boolean refusedForCaller(Exchange exchange) {
        SpotifyCaller caller = caller(exchange);
        if (caller == null) {
            return false;
        }
        HttpOperationFailedException e = failure(exchange);
        caller.refused(e.getStatusCode(), errorMessage(e));
        return true;
    }

    private static SpotifyRequest request(Exchange exchange) {
        return exchange.getProperty(SpotifyRequest.PROPERTY, SpotifyRequest.class);
    }

    private static HttpOperationFailedException failure(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
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
