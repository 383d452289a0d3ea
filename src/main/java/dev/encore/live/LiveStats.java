package dev.encore.live;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the extraction did in this process: for {@code encore live}, the logs and /observe/metrics. */
public final class LiveStats {
    private final Map<String, AtomicInteger> calls = new TreeMap<>();
    private final Map<String, AtomicInteger> users = new TreeMap<>();
    private final AtomicInteger rawFiles = new AtomicInteger();
    private final java.util.Queue<String> written = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger plays = new AtomicInteger();
    private final AtomicInteger deferred = new AtomicInteger();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger fullPages = new AtomicInteger();
    private final MeterRegistry metrics;

    public LiveStats(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void called(String endpoint) {
        synchronized (calls) {
            calls.computeIfAbsent(endpoint, k -> new AtomicInteger()).incrementAndGet();
        }
        metrics.counter("encore.live.calls", "endpoint", endpoint).increment();
    }

    void rawFile(String path) {
        written.add(path);
        rawFiles.incrementAndGet();
        metrics.counter("encore.live.raw.files").increment();
    }

    void plays(int n) {
        plays.addAndGet(n);
    }

    void deferred(int n) {
        deferred.addAndGet(n);
    }

    void fullPage() {
        fullPages.incrementAndGet();
    }

    void tokenRenewed() {
        renewals.incrementAndGet();
    }

    void user(String status) {
        synchronized (users) {
            users.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }
        metrics.counter("encore.live.users", "status", status).increment();
    }

    /** Calls per endpoint made by this process (retries included). */
    public Map<String, Integer> calls() {
        Map<String, Integer> made = new TreeMap<>();
        synchronized (calls) {
            calls.forEach((k, v) -> made.put(k, v.get()));
        }
        return made;
    }

    /** Polls this process finished, per {@code live_poll.status}. */
    public Map<String, Integer> users() {
        Map<String, Integer> done = new TreeMap<>();
        synchronized (users) {
            users.forEach((k, v) -> done.put(k, v.get()));
        }
        return done;
    }

    /** The lake paths of the raw files this process wrote, in the order written. */
    public java.util.List<String> written() {
        return java.util.List.copyOf(written);
    }

    public int rawFiles() {
        return rawFiles.get();
    }

    /** Plays in the recently-played answers (new or not: the raw intake decides what is new). */
    public int plays() {
        return plays.get();
    }

    public int deferred() {
        return deferred.get();
    }

    /** Recently-played answers with 50 plays after the cursor: older plays since the last tick may be missing (a gap). */
    public int fullPages() {
        return fullPages.get();
    }

    public int tokenRenewals() {
        return renewals.get();
    }
}
