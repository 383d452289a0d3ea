package dev.encore.store;

import java.util.Locale;

/**
 * The catalogue objects Encore describes: each is a table of the store and a collection of the
 * Web API, with that collection's batch limit (reference/spotify.md 2.1). It lives beside the
 * tables so that both the store and the Spotify steps can name it without depending on each other.
 */
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

    /** The most IDs one multi-get call may carry. */
    public int batchLimit() {
        return batchLimit;
    }

    /** The table, and the {@code kind} column of {@code unresolved_id}. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
