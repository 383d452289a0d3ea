package dev.encore.intake;

/** The exchange headers the intake routes and processors share. */
public final class Headers {
    /** How the file is named in reports: its path below the inbox, or in the lake. */
    public static final String SOURCE_PATH = "EncoreSourcePath";
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
