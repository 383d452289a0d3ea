package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.store.CatalogueStore;
import dev.encore.store.CatalogueStore.AlbumRow;
import dev.encore.store.CatalogueStore.ArtistRow;
import dev.encore.store.CatalogueStore.TrackRow;
import dev.encore.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Once enrichment has described tracks, an artist is the track's primary artist from the
 * catalogue (and says so), with its picture and genres; undescribed streams keep the export's
 * artist. The catalogue is written through the store enrichment itself writes with.
 */
class EnrichedInsightsTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void describedTracksTakeTheirPrimaryArtistImagesAndGenresFromTheCatalogue(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        String user = "enriched";
        Path export = PrivateSessionExport.write(Path.of("target", "insights-fixture", user));
        fixture.load(user, export);
        String query = "/api/users/" + user + "/wrapped?from=2024-03-01&to=2024-03-05";
        assertThat(fixture.ok(query).path("artist_source").asText()).isEqualTo("export");

        CatalogueStore catalogue = new CatalogueStore(fixture.app.camel().getRegistry()
                .lookupByNameAndType("database", Database.class).dataSource());
        catalogue.saveAlbums(List.of(new AlbumRow("album0000000000000001", "Album 1", "album", "2020", "year", 10, null,
                null, "https://i.scdn.co/image/album1")));
        catalogue.saveArtists(List.of(
                new ArtistRow("artist000000000000001", "Artist X", "https://i.scdn.co/image/x", null, null, List.of("indie pop")),
                // Spotify's name for Song C's artist differs from the export's "Artist Y"
                new ArtistRow("artist000000000000004", "Artist Why", null, null, null, List.of("indie pop", "dream pop"))),
                "spotify");
        catalogue.saveTracks(List.of(
                new TrackRow("0000000000000000000001", null, "Song A", "album0000000000000001", 200_000, false, 1, 1,
                        null, null, List.of("artist000000000000001")),
                new TrackRow("0000000000000000000004", null, "Song C", null, 240_000, false, 1, 2, null, null,
                        List.of("artist000000000000004"))));

        JsonNode w = fixture.ok(query);
        // Home Demo (a local file) is still the export's: both ways at once
        assertThat(w.path("artist_source").asText()).isEqualTo("mixed");
        JsonNode why = w.path("top_artists").get(0);
        assertThat(why.path("name").asText()).isEqualTo("Artist Why");
        assertThat(why.path("id").asText()).isEqualTo("artist000000000000004");
        assertThat(why.path("source").asText()).isEqualTo("catalogue");
        JsonNode x = w.path("top_artists").get(1);
        assertThat(x.path("name").asText()).isEqualTo("Artist X");
        assertThat(x.path("image").asText()).isEqualTo("https://i.scdn.co/image/x");
        JsonNode me = w.path("top_artists").get(2);
        assertThat(me.path("name").asText()).isEqualTo("Me");
        assertThat(me.path("source").asText()).isEqualTo("export");
        assertThat(me.path("id").isNull()).isTrue();

        // a stream counts fully towards each genre of its artist: 240 s + 210 s, and 240 s
        assertThat(w.path("top_genres").findValuesAsText("name")).containsExactly("indie pop", "dream pop");
        assertThat(w.path("top_genres").get(0).path("ms_played").asLong()).isEqualTo(450_000);
        assertThat(w.path("top_genres").get(1).path("ms_played").asLong()).isEqualTo(240_000);
        assertThat(w.path("top_tracks").get(1).path("name").asText()).isEqualTo("Song A");
        assertThat(w.path("top_tracks").get(1).path("image").asText()).isEqualTo("https://i.scdn.co/image/album1");
        JsonNode album1 = w.path("top_albums").get(1); // after Album 2 (Song C, 240 s)
        assertThat(album1.path("name").asText()).isEqualTo("Album 1");
        assertThat(album1.path("id").asText()).isEqualTo("album0000000000000001");
        // the totals do not move: enrichment describes streams, it does not add any
        assertThat(w.path("totals").path("ms_played").asLong()).isEqualTo(600_000);

        // and the BI views say the same
        assertThat(fixture.app.count("SELECT ms_played FROM v_yearly_top_genres WHERE user_id = 'enriched' "
                + "AND local_year = 2024 AND genre = 'indie pop'")).isEqualTo(450_000);
        assertThat(fixture.app.count("SELECT ms_played FROM v_yearly_top_artists WHERE user_id = 'enriched' "
                + "AND local_year = 2024 AND artist_id = 'artist000000000000004'")).isEqualTo(240_000);
    }
}
