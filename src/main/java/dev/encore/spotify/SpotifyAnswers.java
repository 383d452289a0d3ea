package dev.encore.spotify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.store.CatalogueStore;
import dev.encore.store.CatalogueStore.AlbumRow;
import dev.encore.store.CatalogueStore.ArtistRow;
import dev.encore.store.CatalogueStore.TrackRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Maps a 200 answer of the Web API to catalogue rows and stores them: objects under the ID that
 * was asked for, explicit {@code null} entries as unresolvable, a search's exact match (or none)
 * as the name's match. The writes go through {@link CatalogueStore}: a track and its artists, or an
 * artist and its genres, are one transaction with the catalogue's version bump.
 */
public final class SpotifyAnswers implements Processor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CatalogueStore store;
    private final EnrichmentStats stats;

    public SpotifyAnswers(CatalogueStore store, EnrichmentStats stats) {
        this.store = store;
        this.stats = stats;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SpotifyRequest request = exchange.getProperty(SpotifyRequest.PROPERTY, SpotifyRequest.class);
        exchange.getMessage().removeHeader("Authorization");
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getMessage().getMandatoryBody(String.class));
        } catch (IOException e) {
            throw new SpotifyUnavailableException(request.endpoint() + " answered 200 with a body that is not JSON", e);
        }
        if (request.isSearch()) {
            storeMatch(request, body);
        } else {
            storeObjects(request, objects(request, body));
        }
    }

    private void storeMatch(SpotifyRequest request, JsonNode body) throws Exception {
        String trackId = NameMatcher.exactMatch(request.names(), body.path("tracks").path("items"));
        store.saveNameMatch(request.names(), trackId);
        stats.searched(trackId != null);
    }

    /** The answer's objects in the order of the IDs; only an explicit null at its own position means "no such ID". */
    private static List<JsonNode> objects(SpotifyRequest request, JsonNode body) throws SpotifyUnavailableException {
        List<JsonNode> objects = new ArrayList<>();
        if (request.batch()) {
            body.path(request.kind().plural()).forEach(objects::add);
        } else if (body.hasNonNull("id")) {
            objects.add(body);
        }
        if (objects.size() != request.ids().size()) {
            throw new SpotifyUnavailableException(request.endpoint() + " answered 200 with " + objects.size()
                    + " object(s) for " + request.ids().size() + " ID(s); the IDs are left for the next run");
        }
        return objects;
    }

    private void storeObjects(SpotifyRequest request, List<JsonNode> objects) throws Exception {
        List<TrackRow> tracks = new ArrayList<>();
        List<AlbumRow> albums = new ArrayList<>();
        List<ArtistRow> artists = new ArrayList<>();
        for (int i = 0; i < request.ids().size(); i++) {
            String id = request.ids().get(i);
            JsonNode o = objects.get(i);
            if (o.isNull()) {
                store.markUnresolved(request.kind(), id, 200, "Spotify answered null for this ID");
                stats.unresolved(1);
                continue;
            }
            switch (request.kind()) {
                case TRACK -> tracks.add(CatalogueMapper.track(id, o));
                case ALBUM -> albums.add(CatalogueMapper.album(id, o));
                case ARTIST -> artists.add(CatalogueMapper.artist(id, o));
            }
        }
        store.saveTracks(tracks);
        store.saveAlbums(albums);
        store.saveArtists(artists, "spotify");
        stats.described(tracks.size() + albums.size() + artists.size());
    }
}
