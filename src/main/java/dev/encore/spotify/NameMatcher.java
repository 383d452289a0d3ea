package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.store.CatalogueStore.NameOnly;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Accepts a search result only when the track name and one of its artists equal the exported
 * names once normalised (Unicode NFKC, case, spacing). A near miss ("Song - Remastered") is no
 * match: a wrong track would put the wrong artist in someone's Wrapped.
 */
public final class NameMatcher {
    private NameMatcher() {
    }

    /** The first item that matches exactly, or null. */
    static String exactMatch(NameOnly names, JsonNode items) {
        String track = normalise(names.trackName());
        String artist = normalise(names.artistName());
        for (JsonNode item : items) {
            if (!track.equals(normalise(item.path("name").asText()))) {
                continue;
            }
            for (JsonNode a : item.path("artists")) {
                if (artist.equals(normalise(a.path("name").asText()))) {
                    return item.path("id").asText(null);
                }
            }
        }
        return null;
    }

    public static String normalise(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }
}
