package dev.encore.intake;

/** What became of a source file, which decides where it is moved. */
public enum Outcome {
    /** Its streams are in the warehouse (some records may have been refused, see the runs). */
    LOADED,
    /** Nothing in it is listening history (a playlist file, say); not an error. */
    SKIPPED,
    /** It, or part of it, could not be read; it goes to quarantine with the reason. */
    REJECTED,
    /** It vanished between being listed and being read; there is nothing to move. */
    MISSING
}
