package dev.encore.lake;

import java.time.Instant;
import java.util.List;

/** What the raw files hold, read from Spotify's JSON ({@link RawPageParser}) for the stores. */
public final class RawPages {
    private RawPages() {
    }

    /** A page of one raw file. */
    public sealed interface Page permits RecentlyPlayed, Playlists, PlaylistItems, TopItems, SavedTracks {
        /** How many entries the page held. */
        int size();
    }

    /**
     * One play of {@code GET /v1/me/player/recently-played}.
     *
     * @param contentHash {@link dev.encore.export.ContentKey} of the first artist and the title, as exports key it
     */
    public record PolledPlay(Instant playedAt, String trackUri, long contentHash, int durationMs, String trackName,
            String artistName, String albumName, String contextType, String contextUri) {
    }

    /** @param limit the page's {@code limit}: a page that holds that many plays may have left older ones out */
    public record RecentlyPlayed(int limit, List<PolledPlay> plays) implements Page {
        public int size() {
            return plays.size();
        }

        public boolean isFull() {
            return limit > 0 && plays.size() >= limit;
        }
    }

    public record Playlist(String playlistId, String name, String description, String ownerId, String ownerName,
            Boolean collaborative, Boolean isPublic, String snapshotId, Integer itemsTotal, int position) {
    }

    public record Playlists(int offset, List<Playlist> playlists) implements Page {
        public int size() {
            return playlists.size();
        }
    }

    /** @param itemType {@code track} or {@code episode}; the other fields may be null (a local file, an old playlist) */
    public record PlaylistItem(int position, String itemType, String uri, String name, String artistName, String albumName,
            Integer durationMs, Boolean isLocal, Instant addedAt, String addedBy) {
    }

    /** @param total how many items the playlist has in all: positions from there on are gone */
    public record PlaylistItems(String playlistId, int offset, int total, List<PlaylistItem> items) implements Page {
        public int size() {
            return items.size();
        }
    }

    public record TopItem(int rank, String uri, String name, String artistName, String albumName) {
    }

    /** @param itemKind {@code track} or {@code artist} */
    public record TopItems(String itemKind, String timeRange, List<TopItem> items) implements Page {
        public int size() {
            return items.size();
        }
    }

    public record SavedTrack(String trackUri, Instant addedAt, String name, String artistName, String albumName,
            Integer durationMs) {
    }

    public record SavedTracks(List<SavedTrack> tracks) implements Page {
        public int size() {
            return tracks.size();
        }
    }
}
