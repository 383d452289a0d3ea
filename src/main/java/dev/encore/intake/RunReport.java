package dev.encore.intake;

import dev.encore.store.ImportStore.RunCounts;

/** One {@code import_run}: a loose JSON file, or one entry of a ZIP. */
public record RunReport(long runId, String path, String format, String status, RunCounts counts, String reason) {

    public boolean isRejected() {
        return "rejected".equals(status);
    }

    public boolean isLoaded() {
        return "loaded".equals(status);
    }
}
