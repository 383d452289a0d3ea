package dev.encore.live;

/**
 * One planned Web API call of a user's poll: the path and query, the raw file's {@code <detail>},
 * and for playlist items the playlist and the snapshot its items stand for.
 */
record LiveRequest(LiveKind kind, String path, String query, String detail, int offset, String playlistId,
        String snapshotId) {
    static final int LIMIT = 50;

    static LiveRequest recentlyPlayed(String afterMs) {
        return new LiveRequest(LiveKind.RECENTLY_PLAYED, "/v1/me/player/recently-played",
                "limit=" + LIMIT + (afterMs == null ? "" : "&after=" + afterMs), null, 0, null, null);
    }

    static LiveRequest playlists(int offset) {
        return new LiveRequest(LiveKind.PLAYLISTS, "/v1/me/playlists", "limit=" + LIMIT + "&offset=" + offset,
                Integer.toString(offset), offset, null, null);
    }

    static LiveRequest playlistItems(String playlistId, String snapshotId, int offset) {
        return new LiveRequest(LiveKind.PLAYLIST_ITEMS, "/v1/playlists/" + playlistId + "/items",
                "limit=" + LIMIT + "&offset=" + offset, playlistId + "_" + offset, offset, playlistId, snapshotId);
    }

    static LiveRequest top(LiveKind kind, String timeRange) {
        String type = kind == LiveKind.TOP_TRACKS ? "tracks" : "artists";
        return new LiveRequest(kind, "/v1/me/top/" + type, "time_range=" + timeRange + "&limit=" + LIMIT, timeRange, 0,
                null, null);
    }

    static LiveRequest savedTracks(int offset) {
        return new LiveRequest(LiveKind.SAVED_TRACKS, "/v1/me/tracks", "limit=" + LIMIT + "&offset=" + offset,
                Integer.toString(offset), offset, null, null);
    }
}
