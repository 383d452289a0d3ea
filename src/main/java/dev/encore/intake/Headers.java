package dev.encore.intake;

/** The exchange headers the intake routes and processors share. */
public final class Headers {
    /** How the file is named in reports: its path below the inbox, or in the lake. */
    public static final String SOURCE_PATH = "EncoreSourcePath";
    /** The source path with its control characters escaped, for log lines (see {@link dev.encore.export.PrintableNames}). */
    public static final String PRINTABLE_PATH = "EncorePrintablePath";
    /** The user (a folder name, maybe no valid one) escaped likewise. */
    public static final String PRINTABLE_USER = "EncorePrintableUser";
    /** {@code local}, {@code adls} or {@code cli}. */
    public static final String SOURCE_KIND = "EncoreSourceKind";
    public static final String USER = "EncoreUser";
    /** The key the file was claimed under in {@code file_claim}. */
    public static final String CLAIM_KEY = "EncoreClaimKey";
    /** The {@link Outcome} name, set by {@link ImportFileProcessor}. */
    public static final String OUTCOME = "EncoreOutcome";
    /** The {@link FileReport}, set by {@link ImportFileProcessor}. */
    public static final String REPORT = "EncoreReport";

    private Headers() {
    }
}
