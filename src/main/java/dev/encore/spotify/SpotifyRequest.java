package dev.encore.spotify;

import dev.encore.store.CatalogueStore.NameOnly;
import dev.encore.store.EntityKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One planned Web API call: several IDs on a batch endpoint, one ID on a single endpoint, or a
 * search for a name-only stream's track ({@code names} set, no IDs).
 */
public record SpotifyRequest(EntityKind kind, List<String> ids, boolean batch, NameOnly names) {
    /** The most results a Development Mode app may ask the Search API for (February 2026). */
    static final int SEARCH_LIMIT = 10;
    /** The exchange property holding the request under way, for the answer mapper and the failure policy. */
    public static final String PROPERTY = "EncoreSpotifyRequest";

    public SpotifyRequest(EntityKind kind, List<String> ids, boolean batch) {
        this(kind, ids, batch, null);
    }

    public static SpotifyRequest search(NameOnly names) {
        return new SpotifyRequest(EntityKind.TRACK, List.of(), false, names);
    }

    public boolean isSearch() {
        return names != null;
    }

    public String path() {
        if (isSearch()) {
            return "/v1/search";
        }
        return batch ? "/v1/" + kind.plural() : "/v1/" + kind.plural() + "/" + ids.get(0);
    }

    /** The query string, or null for a single-ID call. */
    public String query() {
        if (isSearch()) {
            String q = "track:" + quoted(names.trackName()) + " artist:" + quoted(names.artistName());
            return "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&type=track&limit=" + SEARCH_LIMIT;
        }
        return batch ? "ids=" + String.join(",", ids) : null;
    }

    /** Names the call in logs and metrics without IDs: {@code GET /v1/tracks?ids} or {@code GET /v1/tracks/{id}}. */
    public String endpoint() {
        if (isSearch()) {
            return "GET /v1/search";
        }
        return "GET /v1/" + kind.plural() + (batch ? "?ids" : "/{id}");
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", " ") + "\"";
    }
}
