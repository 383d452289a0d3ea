package dev.encore.spotify;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What enrichment did in this process: for {@code encore enrich}, the logs and /observe/metrics. */
public final class EnrichmentStats {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentStats.class);

    private final Map<String, AtomicInteger> calls = new TreeMap<>();
    private final AtomicInteger described = new AtomicInteger();
    private final AtomicInteger unresolved = new AtomicInteger();
    private final AtomicInteger matched = new AtomicInteger();
    private final AtomicInteger unmatched = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final MeterRegistry metrics;
    private final AccessTokens tokens;
    private final SpotifyPause pause;

    /** @param tokens null when enrichment is off */
    public EnrichmentStats(MeterRegistry metrics, AccessTokens tokens, SpotifyPause pause) {
        this.metrics = metrics;
        this.tokens = tokens;
        this.pause = pause;
    }

    void called(String endpoint) {
        synchronized (calls) {
            calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
        }
        metrics.counter("encore.spotify.calls", "endpoint", endpoint).increment();
    }

    void described(int objects) {
        described.addAndGet(objects);
    }

    void unresolved(int ids) {
        unresolved.addAndGet(ids);
    }

    /** A call that failed for good in this run (5xx or network errors after the retries, no token). */
    void failed() {
        failed.incrementAndGet();
    }

    void searched(boolean found) {
        (found ? matched : unmatched).incrementAndGet();
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

    public Summary summary() throws SQLException {
        Map<String, Integer> made = new TreeMap<>();
        synchronized (calls) {
            calls.forEach((k, v) -> made.put(k, v.get()));
        }
        return new Summary(made, described.get(), unresolved.get(), matched.get(), unmatched.get(),
                failed.get(), pause.activeUntil().orElse(null), tokens == null ? 0 : tokens.fetched(), tokens != null);
    }

    public record Summary(Map<String, Integer> calls, int described, int unresolved, int namesMatched,
            int namesUnmatched, int failedCalls, Instant pausedUntil, int tokens, boolean enabled) {
        public int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
