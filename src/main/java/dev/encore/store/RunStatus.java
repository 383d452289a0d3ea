package dev.encore.store;

import java.util.Locale;

/** How an {@code import_run} stands. Stored lower-case in {@code import_run.status}. */
public enum RunStatus {
    /** Started; a run left in this state was cut off (the process or the database went away). */
    RUNNING,
    /** Its good records are stored, in the transaction that wrote these counts. */
    LOADED,
    /** Not listening history (a playlist, a PDF); not an error. */
    SKIPPED,
    /** The file, or this entry of a ZIP, cannot be read; the reason says why. */
    REJECTED,
    /** The infrastructure failed (database down); the file is tried again later. */
    FAILED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
