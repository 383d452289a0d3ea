package dev.encore.curated;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code curated-zone} in /observe/health: DOWN while writing the curated zone fails (the lake
 * is unreachable), with the error, since when, the next try and the users still owed. A
 * readiness check only: the intake and the API go on meanwhile, so restarting Encore (what a
 * failed liveness check asks for) would not help.
 */
public final class CuratedHealthCheck extends AbstractHealthCheck {
    private final CuratedStatus status;

    public CuratedHealthCheck(CuratedStatus status) {
        super("encore", "curated-zone");
        this.status = status;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("pending.users", status.pendingUsers());
        builder.detail("files.written", status.filesWritten());
        String error = status.lastError();
        if (error == null) {
            builder.up();
            return;
        }
        builder.detail("failing.since", String.valueOf(status.failingSince()));
        builder.detail("retry.at", String.valueOf(status.retryAt()));
        builder.message("The curated zone cannot be written: " + error);
        builder.down();
    }
}
