package dev.encore.lake;

import static dev.encore.lake.SpotifyAnswers.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.export.ContentKey;
import dev.encore.intake.FileReport;
import dev.encore.intake.Outcome;
import dev.encore.lake.SpotifyAnswers.Play;
import dev.encore.lake.SpotifyAnswers.PlaylistInfo;
import dev.encore.lake.SpotifyAnswers.Track;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Raw-zone files into a real database (H2 and PostgreSQL): each kind into its table, once, and bad files whole aside. */
class RawFileLoaderTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final Track A = new Track("4uLU6hMCjMI75M1A2tKUQC", "Never Gonna Give You Up", "Rick Astley", "Whenever You Need Somebody", 213_573, "GBARL9300135");
    static final Track B = new Track("0VjIjW4GlUZAMYd2vXMi3b", "Blinding Lights", "The Weeknd", "After Hours", 200_040, "USUG11904206");
    static final Track C = new Track("7qiZfU4dY1lWllzX7mPBI3", "Shape of You", "Ed Sheeran", "Divide", 233_712, "GBAHS1600463");

    @TempDir
    Path tmp;
    private LakeFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    /** {@code n} plays of alternating tracks, one every 4 minutes from {@code from}. */
    static List<Play> plays(Instant from, int n) {
        List<Play> plays = new ArrayList<>();
        List<Track> tracks = List.of(A, B, C);
        for (int i = 0; i < n; i++) {
            plays.add(new Play(tracks.get(i % 3), from.plusSeconds(240L * i), i % 2 == 0 ? "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M" : null));
        }
        return plays;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("each raw kind lands in its own table, with its columns filled from Spotify's answer")
    void eachRawKindLandsInItsTable(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        List<Play> plays = plays(T0, 3);
        FileReport rp = f.raw(path("recently-played", "ana", T0.plusSeconds(3600), null), SpotifyAnswers.recentlyPlayed(50, plays));
        FileReport pl = f.raw(path("playlists", "ana", T0, "0"), SpotifyAnswers.playlists(0, 2, List.of(
                new PlaylistInfo("37i9dQZF1DXcBWIGoYBM5M", "Mine", "ana", false, "snap1", 2),
                new PlaylistInfo("5ABHKGoOzxkaa28ttQV9sE", "Shared", "bob", true, "snapX", 1))));
        FileReport items = f.raw(path("playlist-items", "ana", T0, "37i9dQZF1DXcBWIGoYBM5M_0"),
                SpotifyAnswers.playlistItems("37i9dQZF1DXcBWIGoYBM5M", 0, 2, List.of(A, B), true));
        FileReport top = f.raw(path("top-tracks", "ana", T0, "short_term"), SpotifyAnswers.topTracks(List.of(C, A)));
        FileReport artists = f.raw(path("top-artists", "ana", T0, "long_term"), SpotifyAnswers.topArtists(List.of("Rick Astley")));
        FileReport saved = f.raw(path("saved-tracks", "ana", T0, "0"), SpotifyAnswers.savedTracks(0, 1, List.of(B),
                List.of(Instant.parse("2026-10-01T08:00:00Z"))));

        for (FileReport r : List.of(rp, pl, items, top, artists, saved)) {
            assertThat(r.outcome()).as(r.sourcePath() + ": " + r.reason()).isEqualTo(Outcome.LOADED);
        }
        // plays: source api, played_at as ts_utc, the track's duration flagged as an estimate, the context
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ana' AND source = 'api' AND kind = 'music' "
                + "AND ms_played_estimated = TRUE")).isEqualTo(3);
        assertThat(f.count("SELECT ms_played FROM stream WHERE user_id = 'ana' AND ts_utc = ?", T0.atOffset(java.time.ZoneOffset.UTC)
                .toLocalDateTime())).isEqualTo(A.durationMs());
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE track_uri = ? AND track_name = ? AND artist_name = ? AND album_name = ? "
                + "AND context_type = 'playlist' AND context_uri = 'spotify:playlist:37i9dQZF1DXcBWIGoYBM5M'",
                A.uri(), A.name(), A.artist(), A.album())).isEqualTo(1);
        // the content key exports compute for the same names
        assertThat(f.count("SELECT content_hash FROM stream WHERE track_uri = ?", B.uri()))
                .isEqualTo(ContentKey.of(B.name(), B.artist(), null, null, null, null));
        assertThat(f.count("SELECT COUNT(*) FROM import_run WHERE source_kind = 'api' AND format = 'spotify-api:recently-played' "
                + "AND status = 'loaded' AND records_read = 3 AND records_inserted = 3")).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM artist_first_stream WHERE user_id = 'ana' AND artist_key = 'rick astley'")).isEqualTo(1);
        // GET /api/users counts the three plays, not the library rows the other runs added
        assertThat(new dev.encore.insights.InsightsStore(f.database.dataSource(), 1_000).users())
                .filteredOn(u -> u.user().equals("ana")).singleElement().extracting(u -> u.streams()).isEqualTo(3L);
        assertThat(new dev.encore.monitoring.EncoreStatus(f.database.dataSource(), null, null, null).getRecordsLoaded())
                .as("the streams added, as JMX tells them").isEqualTo(3);

        assertThat(f.count("SELECT COUNT(*) FROM playlist WHERE user_id = 'ana'")).isEqualTo(2);
        assertThat(f.count("SELECT items_total FROM playlist WHERE playlist_id = '5ABHKGoOzxkaa28ttQV9sE' AND is_collaborative = TRUE "
                + "AND owner_id = 'bob' AND snapshot_id = 'snapX' AND list_position = 1")).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM playlist_item WHERE playlist_id = '37i9dQZF1DXcBWIGoYBM5M' AND added_by = 'owner1' "
                + "AND is_local = FALSE AND added_at IS NOT NULL AND item_type = 'track'")).isEqualTo(2);
        assertThat(f.count("SELECT position FROM playlist_item WHERE item_uri = ?", B.uri())).isEqualTo(1);
        assertThat(f.count("SELECT item_rank FROM top_item WHERE item_kind = 'track' AND time_range = 'short_term' AND item_uri = ?",
                A.uri())).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM top_item WHERE item_kind = 'artist' AND time_range = 'long_term' "
                + "AND item_name = 'Rick Astley' AND item_rank = 1")).isEqualTo(1);
        // enrichment finds the tracks of plays, playlists, tops and saved tracks, and the top artists
        assertThat(missingIds("sql/missing-track-ids.sql")).contains(A.id(), B.id(), C.id());
        assertThat(missingIds("sql/missing-artist-ids.sql")).hasSize(1);
        // and what Power BI reads
        assertThat(f.count("SELECT COUNT(*) FROM v_stream_enriched WHERE user_id = 'ana' AND source = 'api' AND is_estimated = 1 "
                + "AND is_play = 1 AND is_music = 1 AND context_type = 'playlist'")).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM v_playlist_item WHERE playlist_name = 'Mine' AND track_id = ?", A.id())).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM v_top_item WHERE item_kind = 'track'")).isEqualTo(2);
        assertThat(f.count("SELECT SUM(duration_ms) FROM v_saved_track WHERE user_id = 'ana'")).isEqualTo(B.durationMs());
        assertThat(f.count("SELECT COUNT(*) FROM saved_track WHERE user_id = 'ana' AND track_uri = ? AND track_name = ? "
                + "AND added_at = ?", B.uri(), B.name(), java.time.LocalDateTime.parse("2026-10-01T08:00:00"))).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("playlist items are replaced page by page, positions past the total go, and an older fetch never overwrites a newer one")
    void playlistItemsAreReplacedPageByPage(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        String id = "37i9dQZF1DXcBWIGoYBM5M";
        f.raw(path("playlist-items", "ana", T0, id + "_0"), SpotifyAnswers.playlistItems(id, 0, 3, List.of(A, B, C), true));
        // later, C was removed and the first two swapped; the answer has only the deprecated "track" field
        Instant later = T0.plusSeconds(7200);
        f.raw(path("playlist-items", "ana", later, id + "_0"), SpotifyAnswers.playlistItems(id, 0, 2, List.of(B, A), false));
        // a crash re-read of the first answer loads last: it is older, so it changes nothing
        f.raw(path("playlist-items", "ana", T0.plusMillis(1), id + "_0"), SpotifyAnswers.playlistItems(id, 0, 3, List.of(A, B, C), true));

        assertThat(f.count("SELECT COUNT(*) FROM playlist_item WHERE playlist_id = ?", id)).isEqualTo(2);
        assertThat(f.count("SELECT position FROM playlist_item WHERE playlist_id = ? AND item_uri = ?", id, B.uri())).isZero();
        assertThat(f.count("SELECT position FROM playlist_item WHERE playlist_id = ? AND item_uri = ?", id, A.uri())).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("a malformed raw file is rejected whole with a reason naming it, and the next file loads")
    void aMalformedFileIsRejectedWithItsReasonAndTheNextOneLoads(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        String good = new String(SpotifyAnswers.recentlyPlayed(50, plays(T0, 3)), StandardCharsets.UTF_8);
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("", "is empty");
        bad.put("<html>504 Gateway Time-out</html>", "is not valid JSON");
        bad.put("[1, 2]", "should hold a JSON object");
        bad.put("{\"error\": {\"status\": 429, \"message\": \"rate\"}}", "has no \"items\" array");
        // the third play's played_at is broken: the first two must not be loaded either
        bad.put(good.replaceFirst("(?s)(.*\"played_at\" : )\"[^\"]*\"", "$1\"yesterday\""), "items[2].played_at \"yesterday\" is not an ISO-8601 time");
        bad.put(good.replaceFirst("\"duration_ms\" : \\d+", "\"duration_ms\" : \"long\""), "items[0].track.duration_ms should be a whole number");
        int i = 0;
        for (Map.Entry<String, String> e : bad.entrySet()) {
            String p = path("recently-played", "ana", T0.plusSeconds(++i), null);
            FileReport r = f.raw(p, e.getKey().getBytes(StandardCharsets.UTF_8));
            assertThat(r.outcome()).as(e.getValue()).isEqualTo(Outcome.REJECTED);
            assertThat(r.reason()).as(e.getValue()).contains("raw/spotify/recently-played/ana/").contains(e.getValue());
        }
        FileReport wrongName = f.raw("raw/spotify/recently-played/ana/2026/11/20/10/nope.json", good.getBytes(StandardCharsets.UTF_8));
        assertThat(wrongName.reason()).contains("nope.json").contains("is not named as the raw zone names files");
        FileReport wrongKind = f.raw(path("podcasts", "ana", T0, null), good.getBytes(StandardCharsets.UTF_8));
        assertThat(wrongKind.reason()).contains("'podcasts', which is no raw kind");

        assertThat(f.count("SELECT COUNT(*) FROM stream")).as("nothing half-loaded").isZero();
        assertThat(f.count("SELECT COUNT(*) FROM polled_play")).isZero();
        assertThat(f.count("SELECT COUNT(*) FROM import_run WHERE status = 'rejected' AND error LIKE '%raw/spotify/%'"))
                .isEqualTo(bad.size() + 2);

        FileReport next = f.raw(path("recently-played", "ana", T0.plusSeconds(3600), null), good.getBytes(StandardCharsets.UTF_8));
        assertThat(next.outcome()).isEqualTo(Outcome.LOADED);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ana'")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("the same raw file twice, and an identical answer under a second name, add nothing")
    void repeatsAddNothing(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        byte[] page = SpotifyAnswers.recentlyPlayed(50, plays(T0, 5));
        byte[] saved = SpotifyAnswers.savedTracks(0, 2, List.of(A, B), List.of(T0, T0.minusSeconds(86_400)));
        byte[] top = SpotifyAnswers.topTracks(List.of(A, B, C));
        Instant fetched = T0.plusSeconds(3600);
        for (Instant at : List.of(fetched, fetched, fetched.plusSeconds(5))) { // same file twice, then the crash re-read
            f.raw(path("recently-played", "ana", at, null), page);
            f.raw(path("saved-tracks", "ana", at, "0"), saved);
            f.raw(path("top-tracks", "ana", at, "medium_term"), top);
        }

        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ana'")).isEqualTo(5);
        assertThat(f.count("SELECT COUNT(*) FROM polled_play WHERE user_id = 'ana'")).isEqualTo(5);
        assertThat(f.count("SELECT COUNT(*) FROM saved_track WHERE user_id = 'ana'")).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM top_item WHERE user_id = 'ana'")).isEqualTo(3);
        assertThat(f.count("SELECT SUM(records_inserted) FROM import_run WHERE format = 'spotify-api:recently-played'")).isEqualTo(5);
        assertThat(f.count("SELECT SUM(records_duplicate) FROM import_run WHERE format = 'spotify-api:recently-played'")).isEqualTo(10);
        assertThat(f.count("SELECT SUM(records_inserted) FROM import_run WHERE format = 'spotify-api:saved-tracks'")).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("a full page newer than anything stored opens a gap, a page of 49 or a first connect does not, an export spanning it closes it")
    void fullPagesOpenGapsAndExportsCloseThem(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        // a first connect: a full page, but nothing stored before, so nothing can be missing
        f.raw(path("recently-played", "ana", T0.plusSeconds(50 * 240), null), SpotifyAnswers.recentlyPlayed(50, plays(T0, 50)));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap")).isZero();
        Instant newest = T0.plusSeconds(49 * 240);

        // 49 plays since: all there, no gap, whatever their times
        Instant second = T0.plusSeconds(86_400);
        f.raw(path("recently-played", "ana", second.plusSeconds(49 * 240), null), SpotifyAnswers.recentlyPlayed(50, plays(second, 49)));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap")).isZero();
        Instant newest2 = second.plusSeconds(48 * 240);

        // 50 plays, the oldest after the newest stored: the page may have left plays out
        Instant third = T0.plusSeconds(2 * 86_400);
        f.raw(path("recently-played", "ana", third.plusSeconds(50 * 240), null), SpotifyAnswers.recentlyPlayed(50, plays(third, 50)));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap WHERE user_id = 'ana' AND closed_at IS NULL AND gap_from = ? AND gap_to = ?",
                utc(newest2), utc(third))).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM import_run WHERE error LIKE '%may be missing%'")).isEqualTo(1);
        // a limit of 20 makes 20 a full page; this one's oldest play is older than what is stored: no gap
        f.raw(path("recently-played", "ana", third.plusSeconds(60 * 240), null), SpotifyAnswers.recentlyPlayed(20, plays(third.plusSeconds(40 * 240), 20)));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap")).isEqualTo(1);
        assertThat(newest).isBefore(second);

        // an export that ends before the gap does not close it; one whose records span it does
        f.export("ana", "Streaming_History_Audio_2026_0.json", SpotifyAnswers.array(List.of(
                SpotifyAnswers.exportRecord(A, second.minusSeconds(3600), 200_000, "android"),
                SpotifyAnswers.exportRecord(B, second.plusSeconds(3600), 200_000, "android"))));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NULL")).isEqualTo(1);
        f.export("ana", "Streaming_History_Audio_2026_1.json", SpotifyAnswers.array(List.of(
                SpotifyAnswers.exportRecord(A, newest2.minusSeconds(600), 200_000, "android"),
                SpotifyAnswers.exportRecord(C, third.plusSeconds(600), 100_000, "ios"))));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NOT NULL AND closed_by_run = "
                + "(SELECT MAX(import_run_id) FROM import_run)")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("a gap on the boundary of two files of one export is closed by the archive that holds both")
    void aGapBetweenTwoFilesOfOneExportIsClosedByTheirArchive(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant first = T0;
        Instant later = T0.plusSeconds(86_400);
        f.raw(path("recently-played", "ana", first.plusSeconds(3600), null), SpotifyAnswers.recentlyPlayed(50, plays(first, 5)));
        f.raw(path("recently-played", "ana", later.plusSeconds(4 * 3600), null), SpotifyAnswers.recentlyPlayed(50, plays(later, 50)));
        assertThat(f.count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NULL")).isEqualTo(1);

        // Spotify split the export in the middle of the gap: neither file spans it
        Instant middle = first.plusSeconds(43_200);
        byte[] older = SpotifyAnswers.array(List.of(SpotifyAnswers.exportRecord(A, first.minusSeconds(600), 200_000, "ios"),
                SpotifyAnswers.exportRecord(B, middle, 200_000, "ios")));
        byte[] newer = SpotifyAnswers.array(List.of(SpotifyAnswers.exportRecord(C, middle.plusSeconds(600), 200_000, "ios"),
                SpotifyAnswers.exportRecord(A, later.plusSeconds(86_400), 200_000, "ios")));
        Path zip = dev.encore.Zips.builder()
                .add("My Spotify Data/Spotify Extended Streaming History/Streaming_History_Audio_2026_7.json", older)
                .add("My Spotify Data/Spotify Extended Streaming History/Streaming_History_Audio_2026_8.json", newer)
                .writeTo(tmp.resolve("export.zip"));
        assertThat(f.export("ana", "my_spotify_data.zip", java.nio.file.Files.readAllBytes(zip)).outcome()).isEqualTo(Outcome.LOADED);

        assertThat(f.count("SELECT COUNT(*) FROM listening_gap WHERE closed_at IS NULL")).isZero();
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a raw file named to forge a log line is logged with its name escaped, loaded or rejected (issue 12, item 7)")
    void aRawFileNamedToForgeALogLineIsLoggedEscaped() throws Exception {
        f = new LakeFixture("h2", tmp);
        String forged = "\n12:00:00.000 INFO  RawFileLoader  forged: loaded 50 of 50 entries as new\u001b[2K";
        try (dev.encore.LogCapture log = dev.encore.LogCapture.open()) {
            // no kind needs a detail after recently-played's name, so this one loads
            assertThat(f.raw(path("recently-played", "ana", T0, forged), SpotifyAnswers.recentlyPlayed(50, plays(T0, 1)))
                    .outcome()).isEqualTo(Outcome.LOADED);
            assertThat(f.raw(path("saved-tracks", "ana", T0, "0" + forged), "not json".getBytes(StandardCharsets.UTF_8))
                    .outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(f.raw("raw/spotify/ana" + forged + ".json", "{}".getBytes(StandardCharsets.UTF_8)).outcome())
                    .isEqualTo(Outcome.REJECTED);

            String text = log.text();
            assertThat(text.lines().filter(l -> l.contains("forged"))).as("one line per file, none forged").hasSize(3)
                    .allMatch(l -> l.contains("\\n12:00:00.000 INFO  RawFileLoader  forged") && l.contains("\\u001b[2K"));
            assertThat(text.replace("\n", "").chars().filter(Character::isISOControl)).as("raw control characters").isEmpty();
        }
    }

    /** What an enrichment run's SQL step reads (the file the route runs). */
    private List<String> missingIds(String resource) throws Exception {
        String sql;
        try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> ids = new ArrayList<>();
        try (var c = f.db.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    static java.time.LocalDateTime utc(Instant t) {
        return java.time.LocalDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
    }
}
