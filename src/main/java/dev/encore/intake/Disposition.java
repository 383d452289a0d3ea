package dev.encore.intake;

/**
 * Where a finished source file goes: {@code processed/<path>} when loaded or skipped,
 * {@code rejected/<path>} (with {@code <path>.reason.txt} beside it) when rejected. The same
 * layout serves the local inbox and the lake.
 */
public record Disposition(String targetPath, String reasonPath, String reasonText) {
    public static final String REASON_SUFFIX = ".reason.txt";

    /** @return null when there is nothing to move (the file vanished) */
    public static Disposition of(FileReport report, String relativePath, String processedDir, String rejectedDir) {
        return switch (report.outcome()) {
            case LOADED, SKIPPED -> new Disposition(join(processedDir, relativePath), null, null);
            case REJECTED -> new Disposition(join(rejectedDir, relativePath), join(rejectedDir, relativePath) + REASON_SUFFIX,
                    report.describe());
            case MISSING -> null;
        };
    }

    private static String join(String dir, String relativePath) {
        return dir.isEmpty() ? relativePath : dir + "/" + relativePath;
    }
}
