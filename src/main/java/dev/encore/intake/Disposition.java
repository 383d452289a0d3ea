package dev.encore.intake;

/**
 * Where a finished source file goes: {@code processed/<path>} when loaded, {@code skipped/<path>}
 * when nothing in it is listening history, {@code rejected/<path>} when rejected; a skipped or
 * rejected file gets {@code <path>.reason.txt} beside it. The same layout serves the local inbox
 * and the lake (which keeps skipped files in its processed folder).
 */
public record Disposition(String targetPath, String reasonPath, String reasonText) {
    public static final String REASON_SUFFIX = ".reason.txt";

    /** @return null when there is nothing to move (the file vanished) */
    public static Disposition of(FileReport report, String relativePath, String processedDir, String skippedDir,
            String rejectedDir) {
        return switch (report.outcome()) {
            case LOADED -> new Disposition(join(processedDir, relativePath), null, null);
            case SKIPPED -> withReason(join(skippedDir, relativePath), report);
            case REJECTED -> withReason(join(rejectedDir, relativePath), report);
            case MISSING -> null;
        };
    }

    private static Disposition withReason(String target, FileReport report) {
        return new Disposition(target, target + REASON_SUFFIX, report.describe());
    }

    private static String join(String dir, String relativePath) {
        return dir.isEmpty() ? relativePath : dir + "/" + relativePath;
    }
}
