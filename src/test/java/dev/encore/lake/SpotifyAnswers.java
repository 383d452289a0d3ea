package dev.encore.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Web API answers as the raw zone holds them, in Spotify's wire format (the Track object as
 * FakeSpotify shapes it; paging and cursor-paging objects with href, limit, next, cursors), and
 * the raw-zone paths of docs/raw-zone.md.
 */
public final class SpotifyAnswers {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "https://api.spotify.com/v1";
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FETCHED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private SpotifyAnswers() {
    }

    /** A track as recently-played and the other endpoints carry it. */
    public record Track(String id, String name, String artist, String album, int durationMs, String isrc) {
        public String uri() {
            return "spotify:track:" + id;
        }
    }

    /** One play: the track and Spotify's played_at; context a playlist URI or null. */
    public record Play(Track track, Instant playedAt, String playlistContext) {
    }

    /** {@code raw/spotify/<kind>/<user>/yyyy/MM/dd/HH/<fetched>[_<detail>].json} */
    public static String path(String kind, String user, Instant fetched, String detail) {
        return "raw/spotify/" + kind + "/" + user + "/" + FOLDER.format(fetched) + "/" + FETCHED.format(fetched)
                + (detail == null ? "" : "_" + detail) + ".json";
    }

    static ObjectNode track(Track t) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode album = node.putObject("album");
        album.put("album_type", "album");
        common(album, "album", "al" + t.id().substring(2), t.album());
        album.putArray("artists").add(artist(t.artist()));
        album.put("release_date", "2020-01-01");
        album.put("release_date_precision", "day");
        album.put("total_tracks", 10);
        node.putArray("artists").add(artist(t.artist()));
        node.put("disc_number", 1);
        node.put("duration_ms", t.durationMs());
        node.put("explicit", false);
        ObjectNode ids = node.putObject("external_ids");
        if (t.isrc() != null) {
            ids.put("isrc", t.isrc());
        }
        common(node, "track", t.id(), t.name());
        node.put("is_local", false);
        node.put("popularity", 50);
        node.putNull("preview_url");
        node.put("track_number", 1);
        return node;
    }

    private static ObjectNode artist(String name) {
        ObjectNode a = JSON.createObjectNode();
        String id = (Integer.toHexString(name.hashCode()) + "0000000000000000000000").substring(0, 22);
        common(a, "artist", id, name);
        return a;
    }

    private static void common(ObjectNode node, String type, String id, String name) {
        node.putObject("external_urls").put("spotify", "https://open.spotify.com/" + type + "/" + id);
        node.put("href", API + "/" + type + "s/" + id);
        node.put("id", id);
        node.put("name", name);
        node.put("type", type);
        node.put("uri", "spotify:" + type + ":" + id);
    }

    /** {@code GET /v1/me/player/recently-played?limit=<limit>}: newest first, as Spotify sends it. */
    public static byte[] recentlyPlayed(int limit, List<Play> plays) {
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("items");
        List<Play> newestFirst = plays.stream().sorted((a, b) -> b.playedAt().compareTo(a.playedAt())).toList();
        for (Play p : newestFirst) {
            ObjectNode item = items.addObject();
            item.set("track", track(p.track()));
            item.put("played_at", DateTimeFormatter.ISO_INSTANT.format(p.playedAt()));
            if (p.playlistContext() == null) {
                item.putNull("context");
            } else {
                ObjectNode context = item.putObject("context");
                context.put("type", "playlist");
                context.put("uri", p.playlistContext());
                context.put("href", API + "/playlists/" + p.playlistContext().substring("spotify:playlist:".length()));
                context.putObject("external_urls").put("spotify", "https://open.spotify.com/playlist/x");
            }
        }
        page.put("next", newestFirst.isEmpty() ? null
                : API + "/me/player/recently-played?before=" + newestFirst.get(newestFirst.size() - 1).playedAt().toEpochMilli()
                        + "&limit=" + limit);
        ObjectNode cursors = page.putObject("cursors");
        if (newestFirst.isEmpty()) {
            page.putNull("cursors");
        } else {
            cursors.put("after", Long.toString(newestFirst.get(0).playedAt().toEpochMilli()));
            cursors.put("before", Long.toString(newestFirst.get(newestFirst.size() - 1).playedAt().toEpochMilli()));
        }
        page.put("limit", limit);
        page.put("href", API + "/me/player/recently-played?limit=" + limit);
        return bytes(page);
    }

    /** A playlist of {@code GET /v1/me/playlists}. */
    record PlaylistInfo(String id, String name, String owner, boolean collaborative, String snapshot, int total) {
    }

    static byte[] playlists(int offset, int total, List<PlaylistInfo> playlists) {
        ArrayNode items = JSON.createArrayNode();
        for (PlaylistInfo p : playlists) {
            ObjectNode n = items.addObject();
            n.put("collaborative", p.collaborative());
            n.put("description", "");
            n.putObject("external_urls").put("spotify", "https://open.spotify.com/playlist/" + p.id());
            n.put("href", API + "/playlists/" + p.id());
            n.put("id", p.id());
            n.putArray("images");
            n.put("name", p.name());
            ObjectNode owner = n.putObject("owner");
            owner.put("display_name", p.owner());
            owner.put("id", p.owner());
            owner.put("type", "user");
            owner.put("uri", "spotify:user:" + p.owner());
            n.put("public", false);
            n.put("snapshot_id", p.snapshot());
            ObjectNode counted = n.putObject("items");
            counted.put("href", API + "/playlists/" + p.id() + "/items");
            counted.put("total", p.total());
            n.put("type", "playlist");
            n.put("uri", "spotify:playlist:" + p.id());
        }
        return bytes(paging(API + "/me/playlists", offset, 50, total, items));
    }

    /** {@code GET /v1/playlists/{id}/items}: each element with added_at, added_by, is_local, item and (deprecated) track. */
    static byte[] playlistItems(String playlistId, int offset, int total, List<Track> tracks, boolean withItemField) {
        ArrayNode items = JSON.createArrayNode();
        for (Track t : tracks) {
            ObjectNode e = items.addObject();
            e.put("added_at", "2026-11-0" + (1 + Math.abs(t.id().hashCode()) % 9) + "T10:00:00Z");
            ObjectNode by = e.putObject("added_by");
            by.put("id", "owner1");
            by.put("type", "user");
            e.put("is_local", false);
            if (withItemField) {
                e.set("item", track(t));
            }
            e.set("track", track(t));
        }
        return bytes(paging(API + "/playlists/" + playlistId + "/items", offset, 50, total, items));
    }

    static byte[] topTracks(List<Track> tracks) {
        ArrayNode items = JSON.createArrayNode();
        tracks.forEach(t -> items.add(track(t)));
        return bytes(paging(API + "/me/top/tracks", 0, 50, tracks.size(), items));
    }

    static byte[] topArtists(List<String> names) {
        ArrayNode items = JSON.createArrayNode();
        for (String name : names) {
            ObjectNode a = artist(name);
            a.putArray("genres");
            a.putArray("images");
            items.add(a);
        }
        return bytes(paging(API + "/me/top/artists", 0, 50, names.size(), items));
    }

    /** {@code GET /v1/me/tracks}: newest first, each with added_at. */
    static byte[] savedTracks(int offset, int total, List<Track> tracks, List<Instant> addedAt) {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < tracks.size(); i++) {
            ObjectNode e = items.addObject();
            e.put("added_at", DateTimeFormatter.ISO_INSTANT.format(addedAt.get(i)));
            e.set("track", track(tracks.get(i)));
        }
        return bytes(paging(API + "/me/tracks", offset, 50, total, items));
    }

    private static ObjectNode paging(String base, int offset, int limit, int total, ArrayNode items) {
        ObjectNode page = JSON.createObjectNode();
        page.put("href", base + "?offset=" + offset + "&limit=" + limit);
        page.set("items", items);
        page.put("limit", limit);
        if (offset + limit < total) {
            page.put("next", base + "?offset=" + (offset + limit) + "&limit=" + limit);
        } else {
            page.putNull("next");
        }
        page.put("offset", offset);
        if (offset > 0) {
            page.put("previous", base + "?offset=" + Math.max(0, offset - limit) + "&limit=" + limit);
        } else {
            page.putNull("previous");
        }
        page.put("total", total);
        return page;
    }

    /** An extended-history export record (Streaming_History_Audio_*.json) of a music stream. */
    public static ObjectNode exportRecord(Track t, Instant endedAt, int msPlayed, String platform) {
        ObjectNode r = JSON.createObjectNode();
        r.put("ts", DateTimeFormatter.ISO_INSTANT.format(endedAt));
        r.put("platform", platform);
        r.put("ms_played", msPlayed);
        r.put("conn_country", "DE");
        r.put("ip_addr", "203.0.113.7");
        r.put("master_metadata_track_name", t.name());
        r.put("master_metadata_album_artist_name", t.artist());
        r.put("master_metadata_album_album_name", t.album());
        r.put("spotify_track_uri", t.uri());
        r.putNull("episode_name");
        r.putNull("episode_show_name");
        r.putNull("spotify_episode_uri");
        r.putNull("audiobook_title");
        r.putNull("audiobook_uri");
        r.putNull("audiobook_chapter_uri");
        r.putNull("audiobook_chapter_title");
        r.put("reason_start", "trackdone");
        r.put("reason_end", "trackdone");
        r.put("shuffle", false);
        r.put("skipped", false);
        r.put("offline", false);
        r.putNull("offline_timestamp");
        r.put("incognito_mode", false);
        return r;
    }

    /** An account-data record (StreamingHistory_music_N.json): end to the minute, names only. */
    public static ObjectNode accountRecord(Track t, String endTime, int msPlayed) {
        ObjectNode r = JSON.createObjectNode();
        r.put("endTime", endTime);
        r.put("artistName", t.artist());
        r.put("trackName", t.name());
        r.put("msPlayed", msPlayed);
        return r;
    }

    public static byte[] array(List<ObjectNode> records) {
        ArrayNode a = JSON.createArrayNode();
        records.forEach(a::add);
        return bytes(a);
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
