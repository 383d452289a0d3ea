package dev.encore.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.export.ContentKey;
import dev.encore.lake.RawPages.Page;
import dev.encore.lake.RawPages.Playlist;
import dev.encore.lake.RawPages.PlaylistItem;
import dev.encore.lake.RawPages.PolledPlay;
import dev.encore.lake.RawPages.SavedTrack;
import dev.encore.lake.RawPages.TopItem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one raw file, a Web API answer byte for byte, into a {@link Page}. Anything that is not
 * what Spotify sends for that endpoint fails the whole file with a reason that names the entry
 * and the field, so that nothing of it is half loaded.
 */
public final class RawPageParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NAME = 1000;
    private static final int URI = 200;
    private static final Set<String> TIME_RANGES = Set.of("short_term", "medium_term", "long_term");

    private RawPageParser() {
    }

    public static Page parse(RawZonePath where, byte[] content) throws RawFileException {
        String name = where.path();
        if (content.length == 0) {
            throw new RawFileException(name + " is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new RawFileException(name + " is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new RawFileException(name + " cannot be read as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new RawFileException(name + " should hold a JSON object (Spotify's paging object) but holds "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        Reader r = new Reader(name);
        JsonNode items = root.get("items");
        if (items == null || !items.isArray()) {
            throw new RawFileException(name + " has no \"items\" array: it is not a paging object of "
                    + where.kind().folder());
        }
        return switch (where.kind()) {
            case RECENTLY_PLAYED -> recentlyPlayed(r, root, items);
            case PLAYLISTS -> playlists(r, root, items, where);
            case PLAYLIST_ITEMS -> playlistItems(r, root, items, where);
            case TOP_TRACKS -> top(r, items, "track", where);
            case TOP_ARTISTS -> top(r, items, "artist", where);
            case SAVED_TRACKS -> savedTracks(r, items);
        };
    }

    private static Page recentlyPlayed(Reader r, JsonNode root, JsonNode items) throws RawFileException {
        int limit = r.intValue(root, "limit", "the page");
        List<PolledPlay> plays = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode item = r.object(items.get(i), at);
            Instant playedAt = r.time(item, "played_at", at, true);
            JsonNode track = r.object(item.get("track"), at + ".track");
            String uri = r.text(track, "uri", at + ".track", URI, true);
            String title = r.text(track, "name", at + ".track", NAME, false);
            int duration = r.intValue(track, "duration_ms", at + ".track");
            String artist = firstArtist(r, track, at + ".track");
            String album = r.text(track.path("album"), "name", at + ".track.album", NAME, false);
            JsonNode context = item.get("context");
            String contextType = null;
            String contextUri = null;
            if (context != null && !context.isNull()) {
                r.object(context, at + ".context");
                contextType = r.text(context, "type", at + ".context", 20, false);
                contextUri = r.text(context, "uri", at + ".context", URI, false);
            }
            plays.add(new PolledPlay(playedAt, uri, ContentKey.of(title, artist, null, null, null, null, uri), duration,
                    title, artist, album, contextType, contextUri));
        }
        return new RawPages.RecentlyPlayed(limit, plays);
    }

    private static Page playlists(Reader r, JsonNode root, JsonNode items, RawZonePath where) throws RawFileException {
        int offset = offset(r, root, where.detail());
        List<Playlist> playlists = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode p = r.object(items.get(i), at);
            JsonNode owner = p.path("owner");
            // since February 2026 the playlist's "tracks" is "items"; older answers have "tracks"
            JsonNode counted = p.has("items") ? p.get("items") : p.path("tracks");
            playlists.add(new Playlist(r.text(p, "id", at, 64, true), r.text(p, "name", at, NAME, false),
                    r.text(p, "description", at, 2000, false), r.text(owner, "id", at + ".owner", 200, false),
                    r.text(owner, "display_name", at + ".owner", NAME, false), r.bool(p, "collaborative", at),
                    r.bool(p, "public", at), r.text(p, "snapshot_id", at, 200, false),
                    r.optionalInt(counted, "total", at + ".items"), offset + i));
        }
        return new RawPages.Playlists(offset, playlists);
    }

    private static Page playlistItems(Reader r, JsonNode root, JsonNode items, RawZonePath where) throws RawFileException {
        String detail = where.detail();
        int cut = detail.lastIndexOf('_');
        if (cut <= 0) {
            throw new RawFileException(where.path() + ": a playlist-items file's name must end in _<playlist id>_<offset>");
        }
        String playlistId = detail.substring(0, cut);
        int offset = offset(r, root, detail.substring(cut + 1));
        int total = r.intValue(root, "total", "the page");
        List<PlaylistItem> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode e = r.object(items.get(i), at);
            // "item" since February 2026, "track" before (and still sent, deprecated)
            JsonNode it = e.has("item") && !e.get("item").isNull() ? e.get("item") : e.get("track");
            String what = e.has("item") ? at + ".item" : at + ".track";
            String type = null, uri = null, name = null, artist = null, album = null;
            Integer duration = null;
            if (it != null && !it.isNull()) { // an item Spotify no longer has is null
                r.object(it, what);
                type = r.text(it, "type", what, 10, false);
                uri = r.text(it, "uri", what, URI, false);
                name = r.text(it, "name", what, NAME, false);
                duration = r.optionalInt(it, "duration_ms", what);
                if ("episode".equals(type)) {
                    artist = r.text(it.path("show"), "name", what + ".show", NAME, false);
                } else {
                    artist = firstArtist(r, it, what);
                    album = r.text(it.path("album"), "name", what + ".album", NAME, false);
                }
            }
            list.add(new PlaylistItem(offset + i, type, uri, name, artist, album, duration, r.bool(e, "is_local", at),
                    r.time(e, "added_at", at, false), r.text(e.path("added_by"), "id", at + ".added_by", 200, false)));
        }
        return new RawPages.PlaylistItems(playlistId, offset, total, list);
    }

    private static Page top(Reader r, JsonNode items, String kind, RawZonePath where) throws RawFileException {
        if (!TIME_RANGES.contains(where.detail())) {
            throw new RawFileException(where.path() + ": '" + where.detail() + "' is no time range (" + TIME_RANGES + ")");
        }
        List<TopItem> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode t = r.object(items.get(i), at);
            String artist = kind.equals("track") ? firstArtist(r, t, at) : r.text(t, "name", at, NAME, false);
            String album = kind.equals("track") ? r.text(t.path("album"), "name", at + ".album", NAME, false) : null;
            list.add(new TopItem(i + 1, r.text(t, "uri", at, URI, true), r.text(t, "name", at, NAME, false), artist, album));
        }
        return new RawPages.TopItems(kind, where.detail(), list);
    }

    private static Page savedTracks(Reader r, JsonNode items) throws RawFileException {
        List<SavedTrack> list = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "items[" + i + "]";
            JsonNode e = r.object(items.get(i), at);
            JsonNode t = r.object(e.get("track"), at + ".track");
            list.add(new SavedTrack(r.text(t, "uri", at + ".track", URI, true), r.time(e, "added_at", at, true),
                    r.text(t, "name", at + ".track", NAME, false), firstArtist(r, t, at + ".track"),
                    r.text(t.path("album"), "name", at + ".track.album", NAME, false),
                    r.optionalInt(t, "duration_ms", at + ".track")));
        }
        return new RawPages.SavedTracks(list);
    }

    private static String firstArtist(Reader r, JsonNode track, String at) throws RawFileException {
        JsonNode artists = track.get("artists");
        if (artists == null || artists.isNull() || artists.isEmpty()) {
            return null;
        }
        if (!artists.isArray()) {
            throw new RawFileException(r.file + ": " + at + ".artists should be an array");
        }
        return r.text(artists.get(0), "name", at + ".artists[0]", NAME, false);
    }

    /** The page's own offset; the one in the file name when the page has none. */
    private static int offset(Reader r, JsonNode root, String fromName) throws RawFileException {
        if (root.has("offset")) {
            return r.intValue(root, "offset", "the page");
        }
        try {
            return Integer.parseInt(fromName);
        } catch (NumberFormatException e) {
            throw new RawFileException(r.file + ": the offset '" + fromName + "' in its name is not a number");
        }
    }

    /** Typed access to the JSON that names the file and the place of whatever is wrong. */
    private record Reader(String file) {
        JsonNode object(JsonNode n, String at) throws RawFileException {
            if (n == null || !n.isObject()) {
                throw new RawFileException(file + ": " + at + " should be a JSON object but is "
                        + (n == null ? "missing" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            }
            return n;
        }

        String text(JsonNode parent, String field, String at, int max, boolean required) throws RawFileException {
            JsonNode n = parent == null ? null : parent.get(field);
            if (n == null || n.isNull()) {
                if (required) {
                    throw new RawFileException(file + ": " + at + "." + field + " is missing");
                }
                return null;
            }
            if (!n.isTextual()) {
                throw new RawFileException(file + ": " + at + "." + field + " should be text but is " + n);
            }
            String s = n.asText();
            if (s.length() > max) {
                throw new RawFileException(file + ": " + at + "." + field + " is " + s.length()
                        + " characters long; at most " + max + " are stored");
            }
            if (s.indexOf('\u0000') >= 0) {
                throw new RawFileException(file + ": " + at + "." + field + " contains a NUL character");
            }
            if (required && s.isEmpty()) {
                throw new RawFileException(file + ": " + at + "." + field + " is empty");
            }
            return s;
        }

        int intValue(JsonNode parent, String field, String at) throws RawFileException {
            Integer v = optionalInt(parent, field, at);
            if (v == null) {
                throw new RawFileException(file + ": " + at + "." + field + " is missing");
            }
            return v;
        }

        Integer optionalInt(JsonNode parent, String field, String at) throws RawFileException {
            JsonNode n = parent == null ? null : parent.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
                throw new RawFileException(file + ": " + at + "." + field + " should be a whole number of 0 or more but is " + n);
            }
            return n.asInt();
        }

        Boolean bool(JsonNode parent, String field, String at) throws RawFileException {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isBoolean()) {
                throw new RawFileException(file + ": " + at + "." + field + " should be true or false but is " + n);
            }
            return n.asBoolean();
        }

        Instant time(JsonNode parent, String field, String at, boolean required) throws RawFileException {
            String s = text(parent, field, at, 40, required);
            if (s == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException e) {
                throw new RawFileException(file + ": " + at + "." + field + " \"" + s + "\" is not an ISO-8601 time");
            }
        }
    }
}
