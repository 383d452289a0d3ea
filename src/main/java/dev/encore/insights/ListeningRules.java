package dev.encore.insights;

import java.util.Set;

/**
 * What counts, as Wrapped counts it: a play lasts at least {@code minPlayMs}, music is the
 * listed stream kinds, private sessions are left out unless asked for.
 */
public record ListeningRules(int minPlayMs, Set<String> musicKinds, boolean includeIncognito) {
    public static final String PODCAST_KIND = "episode";
    private static final String UNKNOWN_KIND = "unknown";

    public boolean isPlay(int msPlayed) {
        return msPlayed >= minPlayMs;
    }

    /**
     * Music is one of the music kinds; a stream of unknown kind must at least name something
     * (extended history has the odd row with no names and no URI at all).
     */
    public boolean isMusic(String kind, String trackName, String artistName) {
        return musicKinds.contains(kind) && (!UNKNOWN_KIND.equals(kind) || trackName != null || artistName != null);
    }

    /** Whether a stream counts at all (private sessions), before music or podcast is asked. */
    public boolean counts(Boolean incognito) {
        return includeIncognito || !Boolean.TRUE.equals(incognito);
    }
}
