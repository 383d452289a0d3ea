package dev.encore.lake;

/** {@code encore.lake.root}: the lake's folder in the ADLS filesystem, as a path prefix. */
public final class LakeRoot {
    private LakeRoot() {
    }

    /** "" for the filesystem's root, else the folder without leading or trailing slashes, plus "/". */
    public static String prefix(String root) {
        String r = root == null ? "" : root.trim().replaceAll("^/+|/+$", "");
        return r.isEmpty() ? "" : r + "/";
    }
}
