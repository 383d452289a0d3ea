package dev.encore.export;

import java.util.Locale;

/**
 * What was played, as a 64-bit number that both export generations agree on.
 *
 * <p>Account data has only names (no URIs), so the key is built from the creator and the title
 * as exported, trimmed and lower-cased: artist and track for music, show and episode for
 * podcasts, audiobook and chapter for audiobooks. The oldest account files put a podcast's show
 * in {@code artistName} and its episode in {@code trackName}; the same pair then matches the
 * extended record's show and episode. With no names at all, the first URI stands in.
 *
 * <p>Account data writes "Unknown Artist" / "Unknown Track" where extended history has no names
 * at all (the real samples pair them play for play), so those placeholders count as empty.
 *
 * <p>The hash is FNV-1a; it only has to tell apart streams that already share user, end time
 * and duration. It is stored, so it must never change without a migration.
 */
public final class ContentKey {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ContentKey() {
    }

    public static long of(String trackName, String artistName, String episodeName, String showName,
            String audiobookTitle, String chapterTitle, String... uris) {
        if (audiobookTitle != null || chapterTitle != null) {
            return hash(audiobookTitle, chapterTitle);
        }
        if (episodeName != null || showName != null) {
            return hash(showName, episodeName);
        }
        if (trackName != null || artistName != null) {
            return hash(artistName, trackName);
        }
        for (String uri : uris) {
            if (uri != null) {
                return hash("", uri);
            }
        }
        return hash("", "");
    }

    static long hash(String creator, String title) {
        long h = FNV_OFFSET;
        h = mixNormalised(h, creator);
        h = (h ^ 0x1f) * FNV_PRIME; // a separator, so ("ab","c") differs from ("a","bc")
        return mixNormalised(h, title);
    }

    /**
     * {@code mix(h, normalise(s))} without building the normalised string when {@code s} is ASCII,
     * as nearly every name is: two strings fewer per record read.
     */
    private static long mixNormalised(long h, String s) {
        if (s == null) {
            return h;
        }
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) <= ' ') { // String.trim's whitespace
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= 0x80) {
                return mix(h, normalise(s)); // Unicode case folding is toLowerCase's to do
            }
        }
        int length = to - from;
        if (length == 14 && s.regionMatches(true, from, "unknown artist", 0, 14)
                || length == 13 && s.regionMatches(true, from, "unknown track", 0, 13)) {
            return h;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            h = (h ^ (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)) * FNV_PRIME;
        }
        return h;
    }

    /** Trimmed and case-folded; the "Unknown Artist" / "Unknown Track" placeholders become empty. */
    public static String normalise(String s) {
        if (s == null) {
            return "";
        }
        String n = s.trim().toLowerCase(Locale.ROOT);
        return n.equals("unknown artist") || n.equals("unknown track") ? "" : n;
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }
}
