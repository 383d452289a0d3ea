package dev.encore.spotify;

import java.util.Locale;

/** The catalogue objects Encore describes, with the Web API's batch limits (reference/spotify.md 2.1). */
public enum EntityKind {
    TRACK("tracks", 50), ALBUM("albums", 20), ARTIST("artists", 50);

    private final String plural;
    private final int batchLimit;

    EntityKind(String plural, int batchLimit) {
        this.plural = plural;
        this.batchLimit = batchLimit;
    }

    /** The collection path ({@code /v1/tracks}) and the multi-get response key ({@code tracks}). */
    public String plural() {
        return plural;
    }

    public int batchLimit() {
        return batchLimit;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
