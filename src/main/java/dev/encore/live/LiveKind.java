package dev.encore.live;

import dev.encore.lake.RawKind;

/**
 * What the extraction asks Spotify for: the raw zone's {@code <kind>} folder, the endpoint's name
 * in logs and the summary, and the priority under a tight budget (lowest first; recently-played
 * is the one call a tick must not lose, top items the first to wait for a later tick).
 */
public enum LiveKind {
    RECENTLY_PLAYED(RawKind.RECENTLY_PLAYED, "GET /v1/me/player/recently-played", 0),
    PLAYLISTS(RawKind.PLAYLISTS, "GET /v1/me/playlists", 1),
    PLAYLIST_ITEMS(RawKind.PLAYLIST_ITEMS, "GET /v1/playlists/{id}/items", 2),
    SAVED_TRACKS(RawKind.SAVED_TRACKS, "GET /v1/me/tracks", 3),
    TOP_TRACKS(RawKind.TOP_TRACKS, "GET /v1/me/top/tracks", 4),
    TOP_ARTISTS(RawKind.TOP_ARTISTS, "GET /v1/me/top/artists", 4);

    private final RawKind raw;
    private final String endpoint;
    private final int priority;

    LiveKind(RawKind raw, String endpoint, int priority) {
        this.raw = raw;
        this.endpoint = endpoint;
        this.priority = priority;
    }

    /** The raw zone's kind of file this call's answer becomes (the one the raw intake reads). */
    public RawKind raw() {
        return raw;
    }

    public String endpoint() {
        return endpoint;
    }

    int priority() {
        return priority;
    }

    /** Only recently-played must be called every tick: it alone forgets (the last 50 plays). */
    boolean essential() {
        return this == RECENTLY_PLAYED;
    }
}
