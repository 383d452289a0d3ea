package dev.encore.store;

import java.util.Locale;

/** How an {@code import_run} stands. Stored lower-case in {@code import_run.status}. */
public enum RunStatus {
    /** Started, and (as far as anyone knows) still going. */
    RUNNING,
    /** Its good records are stored, in the transaction that wrote these counts. */
    LOADED,
    /** Not listening history (a playlist, a PDF); not an error. */
    SKIPPED,
    /** The file, or this entry of a ZIP, cannot be read; the reason says why. */
    REJECTED,
    /** The infrastructure failed (database down); the file is tried again later. */
    FAILED,
    /**
     * Cut off with nothing stored: its process was gone (kill -9, a crash) or its claim was
     * taken over; the reason says what is known. See {@link InterruptedRuns}.
     */
    INTERRUPTED,
    /**
     * Not read at all: the same bytes were loaded for this user before (its content digest,
     * see V12); the reason names when. Nothing is stored, so it does not count as a load.
     */
    ALREADY_LOADED;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
