package dev.encore.intake;

/**
 * Where a finished source file goes: {@code processed/<path>} when loaded, {@code skipped/<path>}
 * when nothing in it is listening history, {@code rejected/<path>} when rejected; a skipped or
 * rejected file gets {@code <path>.reason.txt} beside it. The same layout serves the local inbox
 * and the lake.
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

    /**
     * The {@code n}th name for a file when an earlier one holds {@code path} (Spotify calls every
     * export my_spotify_data.zip): {@code name (2).ext}, {@code name (3).ext}, in the same folder.
     */
    public static String numbered(String path, int n) {
        int slash = path.lastIndexOf('/');
        String folder = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? folder + name.substring(0, dot) + " (" + n + ")" + name.substring(dot)
                : folder + name + " (" + n + ")";
    }

    /** The same disposition under another target name, its reason beside that name. */
    public Disposition renamed(String target) {
        return new Disposition(target, reasonPath == null ? null : target + REASON_SUFFIX, reasonText);
    }

    private static Disposition withReason(String target, FileReport report) {
        return new Disposition(target, target + REASON_SUFFIX, report.describe());
    }

    private static String join(String dir, String relativePath) {
        return dir.isEmpty() ? relativePath : dir + "/" + relativePath;
    }
}
