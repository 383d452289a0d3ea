package dev.encore.curated;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;

/**
 * How the curated zone is doing, for the health check, the metrics and JMX: users still owed a
 * rewrite, files written, and the last failure while it lasts (a lake outage).
 */
public final class CuratedStatus {
    private final Counter filesWritten;
    private final Counter filesDeleted;
    private volatile int pendingUsers;
    private volatile boolean catalogueDone;
    private volatile String lastError;
    private volatile Instant failingSince;
    private volatile Instant lastWrittenAt;
    private volatile Instant retryAt;

    public CuratedStatus(MeterRegistry metrics) {
        filesWritten = Counter.builder("encore.curated.files.written")
                .description("Parquet files written into the curated zone").register(metrics);
        filesDeleted = Counter.builder("encore.curated.files.deleted")
                .description("curated files removed because their rows are gone").register(metrics);
        Gauge.builder("encore.curated.pending.users", this, s -> s.pendingUsers)
                .description("users whose curated files are still to be rewritten").register(metrics);
        Gauge.builder("encore.curated.failing", this, s -> s.failingSince == null ? 0 : 1)
                .description("1 while writing the curated zone fails (the lake is unreachable), else 0").register(metrics);
    }

    void written(Instant at) {
        filesWritten.increment();
        lastWrittenAt = at;
    }

    void deleted() {
        filesDeleted.increment();
    }

    void pending(int users, boolean catalogue) {
        pendingUsers = users;
        catalogueDone = catalogue;
    }

    void failed(String error, Instant at, Instant nextTry) {
        lastError = error;
        if (failingSince == null) {
            failingSince = at;
        }
        retryAt = nextTry;
    }

    void succeeded() {
        lastError = null;
        failingSince = null;
        retryAt = null;
    }

    public long filesWritten() {
        return (long) filesWritten.count();
    }

    public int pendingUsers() {
        return pendingUsers;
    }

    public boolean catalogueUpToDate() {
        return catalogueDone;
    }

    /** The last failure's message while writing fails; null once a pass succeeded. */
    public String lastError() {
        return lastError;
    }

    public Instant failingSince() {
        return failingSince;
    }

    public Instant retryAt() {
        return retryAt;
    }

    public Instant lastWrittenAt() {
        return lastWrittenAt;
    }
}
