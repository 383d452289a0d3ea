package dev.encore.spotify;

import java.util.List;

/** One planned Web API call: several IDs on a batch endpoint, or one ID on a single endpoint. */
public record SpotifyRequest(EntityKind kind, List<String> ids, boolean batch) {

    public String path() {
        return batch ? "/v1/" + kind.plural() : "/v1/" + kind.plural() + "/" + ids.get(0);
    }

    /** The query string, or null for a single-ID call. */
    public String query() {
        return batch ? "ids=" + String.join(",", ids) : null;
    }

    /** Names the call in logs and metrics without IDs: {@code GET /v1/tracks?ids} or {@code GET /v1/tracks/{id}}. */
    public String endpoint() {
        return "GET /v1/" + kind.plural() + (batch ? "?ids" : "/{id}");
    }
}
