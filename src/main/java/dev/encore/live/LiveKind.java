package dev.encore.live;

/**
 * What the extraction asks Spotify for: the raw zone's {@code <kind>} folder, the endpoint's name
 * in logs and the summary, and the priority under a tight budget (lowest first; recently-played
 * is the one call a tick must not lose, top items the first to wait for a later tick).
 */
public enum LiveKind {
    RECENTLY_PLAYED("recently-played", "GET /v1/me/player/recently-played", 0),
    PLAYLISTS("playlists", "GET /v1/me/playlists", 1),
    PLAYLIST_ITEMS("playlist-items", "GET /v1/playlists/{id}/items", 2),
    SAVED_TRACKS("saved-tracks", "GET /v1/me/tracks", 3),
    TOP_TRACKS("top-tracks", "GET /v1/me/top/tracks", 4),
    TOP_ARTISTS("top-artists", "GET /v1/me/top/artists", 4);

    private final String folder;
    private final String endpoint;
    private final int priority;

    LiveKind(String folder, String endpoint, int priority) {
        this.folder = folder;
        this.endpoint = endpoint;
        this.priority = priority;
    }

    /** The raw zone's {@code <kind>}. */
    public String folder() {
        return folder;
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
