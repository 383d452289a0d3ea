package dev.encore.intake;

import dev.encore.store.ImportStore.RunCounts;
import dev.encore.store.RunStatus;

/** One {@code import_run}: a loose JSON file, or one entry of a ZIP. */
public record RunReport(long runId, String path, String format, RunStatus status, RunCounts counts, String reason) {

    public boolean isRejected() {
        return status == RunStatus.REJECTED;
    }

    public boolean isLoaded() {
        return status == RunStatus.LOADED;
    }
}
