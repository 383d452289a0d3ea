package dev.encore.musicbrainz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.spotify.NameMatcher;
import dev.encore.store.CatalogueStore;
import dev.encore.store.CatalogueStore.ArtistToLookUp;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genres for the artists Spotify sends none for (most apps get none since 2026): one of the
 * artist's tracks' ISRC leads to the MusicBrainz recording, its credits to the artist of the same
 * name, and that artist's genres (or, lacking those, its tags) are stored with
 * {@code source = 'musicbrainz'}. Each Spotify artist is looked up once, found or not.
 */
public final class MusicBrainzGenres {
    private static final Logger LOG = LoggerFactory.getLogger(MusicBrainzGenres.class);
    private static final int MAX_TAGS = 5;

    private final CatalogueStore store;
    private final MusicBrainzClient client;
    private final boolean enabled;

    public MusicBrainzGenres(CatalogueStore store, MusicBrainzClient client, boolean enabled) {
        this.store = store;
        this.client = client;
        this.enabled = enabled;
    }

    /** One pass over the artists still without genres; a MusicBrainz failure leaves the rest for the next run. */
    public void fill() throws SQLException, InterruptedException {
        if (!enabled) {
            return;
        }
        List<ArtistToLookUp> artists = store.artistsWithoutGenres();
        if (!artists.isEmpty()) {
            LOG.info("{} artist(s) without genres to look up on MusicBrainz (1 request/s)", artists.size());
        }
        for (ArtistToLookUp a : artists) {
            try {
                String mbid = creditedArtist(a);
                List<String> genres = mbid == null ? List.of() : genresOf(client.artist(mbid));
                store.saveMusicBrainzGenres(a.artistId(), mbid, genres);
            } catch (IOException e) {
                LOG.warn("MusicBrainz failed ({}); the remaining {} artist(s) wait for the next run", e.getMessage(),
                        artists.size() - artists.indexOf(a));
                return;
            }
        }
    }

    private String creditedArtist(ArtistToLookUp a) throws IOException, InterruptedException {
        JsonNode found = client.recordingsByIsrc(a.isrc());
        if (found == null) {
            return null;
        }
        String name = NameMatcher.normalise(a.name());
        for (JsonNode recording : found.path("recordings")) {
            for (JsonNode credit : recording.path("artist-credit")) {
                JsonNode artist = credit.path("artist");
                if (name.equals(NameMatcher.normalise(artist.path("name").asText("")))
                        || name.equals(NameMatcher.normalise(credit.path("name").asText("")))) {
                    return artist.path("id").asText(null);
                }
            }
        }
        return null;
    }

    /** MusicBrainz's curated genres; when it has none, the most voted folksonomy tags. */
    private static List<String> genresOf(JsonNode artist) {
        List<String> names = new ArrayList<>();
        if (artist == null) {
            return names;
        }
        artist.path("genres").forEach(g -> names.add(g.path("name").asText()));
        if (names.isEmpty()) {
            List<JsonNode> tags = new ArrayList<>();
            artist.path("tags").forEach(t -> {
                if (t.path("count").asInt() > 0) {
                    tags.add(t);
                }
            });
            tags.sort((x, y) -> Integer.compare(y.path("count").asInt(), x.path("count").asInt()));
            tags.stream().limit(MAX_TAGS).forEach(t -> names.add(t.path("name").asText()));
        }
        return names;
    }
}
