package dev.encore.insights;

import java.util.Set;

/**
 * What counts, as Wrapped counts it: a play lasts at least {@code minPlayMs}, music is the
 * listed stream kinds, private sessions are left out unless asked for.
 */
public record ListeningRules(int minPlayMs, Set<String> musicKinds, boolean includeIncognito) {
    public static final String PODCAST_KIND = "episode";

    public boolean isPlay(int msPlayed) {
        return msPlayed >= minPlayMs;
    }

    /** Whether a stream counts at all (private sessions), before music or podcast is asked. */
    public boolean counts(Boolean incognito) {
        return includeIncognito || !Boolean.TRUE.equals(incognito);
    }
}
