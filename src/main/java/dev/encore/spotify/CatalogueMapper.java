package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.store.CatalogueStore.AlbumRow;
import dev.encore.store.CatalogueStore.ArtistRow;
import dev.encore.store.CatalogueStore.TrackRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps Web API objects to catalogue rows. Fields Spotify stopped sending to Development Mode apps
 * (popularity, followers, label) become null rather than zero. Rows are keyed by the ID that was
 * asked for: with relinking, the object's own {@code id} may differ.
 */
final class CatalogueMapper {
    private CatalogueMapper() {
    }

    static TrackRow track(String requestedId, JsonNode t) {
        List<String> artists = new ArrayList<>();
        t.path("artists").forEach(a -> {
            if (a.hasNonNull("id")) {
                artists.add(a.get("id").asText());
            }
        });
        String returnedId = text(t, "id");
        return new TrackRow(requestedId, requestedId.equals(returnedId) ? null : returnedId, text(t, "name"),
                text(t.path("album"), "id"), integer(t, "duration_ms"), t.hasNonNull("explicit") ? t.get("explicit").asBoolean() : null,
                integer(t, "disc_number"), integer(t, "track_number"), text(t.path("external_ids"), "isrc"),
                integer(t, "popularity"), artists);
    }

    static AlbumRow album(String requestedId, JsonNode a) {
        return new AlbumRow(requestedId, text(a, "name"), text(a, "album_type"), text(a, "release_date"),
                text(a, "release_date_precision"), integer(a, "total_tracks"), text(a, "label"), integer(a, "popularity"),
                largestImage(a));
    }

    static ArtistRow artist(String requestedId, JsonNode a) {
        List<String> genres = new ArrayList<>();
        a.path("genres").forEach(g -> genres.add(g.asText()));
        JsonNode followers = a.path("followers").path("total");
        return new ArtistRow(requestedId, text(a, "name"), largestImage(a),
                followers.isNumber() ? followers.asLong() : null, integer(a, "popularity"), genres);
    }

    /** Spotify lists images largest first; the first is what a dashboard card wants. */
    private static String largestImage(JsonNode o) {
        JsonNode images = o.path("images");
        return images.isArray() && !images.isEmpty() ? text(images.get(0), "url") : null;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || !v.isNumber() ? null : v.asInt();
    }
}
