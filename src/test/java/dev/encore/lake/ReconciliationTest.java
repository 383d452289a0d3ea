package dev.encore.lake;

import static dev.encore.lake.RawFileLoaderTest.A;
import static dev.encore.lake.RawFileLoaderTest.B;
import static dev.encore.lake.RawFileLoaderTest.T0;
import static dev.encore.lake.RawFileLoaderTest.utc;
import static dev.encore.lake.SpotifyAnswers.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.lake.SpotifyAnswers.Play;
import dev.encore.lake.SpotifyAnswers.Track;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One play, whichever came first (docs/reconciliation.md): polled plays and export streams of the
 * same play become the export's stream in both orders; near misses and repeats stay apart.
 * On H2 and PostgreSQL (whose exports take the COPY path).
 */
class ReconciliationTest {
    private static final String USER = "mia";
    private static final int PLAYED = 213_000; // A's duration is 213,573 ms: the export says how much was heard

    @TempDir
    Path tmp;
    private LakeFixture f;
    private int pages;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private void poll(Play... plays) throws Exception {
        Instant fetched = T0.plusSeconds(3600 + (++pages));
        assertThat(f.raw(path("recently-played", USER, fetched, null), SpotifyAnswers.recentlyPlayed(50, List.of(plays))).outcome())
                .isEqualTo(dev.encore.intake.Outcome.LOADED);
    }

    private void export(ObjectNode... records) throws Exception {
        assertThat(f.export(USER, "Streaming_History_Audio_2026_" + (++pages) + ".json", SpotifyAnswers.array(List.of(records)))
                .outcome()).isEqualTo(dev.encore.intake.Outcome.LOADED);
    }

    private long streams() {
        return f.count("SELECT COUNT(*) FROM stream WHERE user_id = ?", USER);
    }

    private long streams(String source) {
        return f.count("SELECT COUNT(*) FROM stream WHERE user_id = ? AND source = ?", USER, source);
    }

    /** What GET /api/users counts: the loads' own counts. */
    private long countedByRuns() {
        return f.count("SELECT SUM(records_inserted - records_replaced) FROM import_run WHERE user_id = ? AND status = 'loaded'", USER);
    }

    /** played_at as the start of the play, or as its end: Spotify has sent both. */
    private static Instant playedAt(String semantics, Instant end, int ms) {
        return semantics.equals("start") ? end.minusMillis(ms) : end;
    }

    @ParameterizedTest(name = "{0}, played_at = {1}")
    @CsvSource({"h2, start", "h2, end", "postgresql, start", "postgresql, end"})
    @DisplayName("a polled play, then the export of the same play: one stream, the export's, and the export counts the confirmation")
    void polledThenExported(String kind, String semantics) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213);
        poll(new Play(A, playedAt(semantics, end, PLAYED), null));
        assertThat(streams("api")).isEqualTo(1);

        export(SpotifyAnswers.exportRecord(A, end, PLAYED, "android"), SpotifyAnswers.exportRecord(B, end.plusSeconds(3600), 90_000, "ios"));

        assertThat(streams()).isEqualTo(2);
        assertThat(streams("api")).isZero();
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE user_id = ? AND track_uri = ? AND ms_played = ? AND platform = 'android' "
                + "AND reason_end = 'trackdone' AND ms_played_estimated = FALSE AND api_played_at = ?",
                USER, A.uri(), PLAYED, utc(playedAt(semantics, end, PLAYED)))).isEqualTo(1);
        assertThat(f.count("SELECT records_confirmed FROM import_run WHERE format LIKE 'extended%' AND user_id = ?", USER)).isEqualTo(1);
        assertThat(f.count("SELECT records_replaced FROM import_run WHERE format LIKE 'extended%' AND user_id = ?", USER)).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM polled_play WHERE stream_id IS NULL AND confirmed_stream_id IS NOT NULL")).isEqualTo(1);
        assertThat(countedByRuns()).isEqualTo(streams());
    }

    @ParameterizedTest(name = "{0}, played_at = {1}")
    @CsvSource({"h2, start", "h2, end", "postgresql, start", "postgresql, end"})
    @DisplayName("an export, then a polled play of one of its streams: a duplicate, and the stream remembers it so no second poll matches it")
    void exportedThenPolled(String kind, String semantics) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213);
        export(SpotifyAnswers.exportRecord(A, end, PLAYED, "android"));
        poll(new Play(A, playedAt(semantics, end, PLAYED), null));

        assertThat(streams()).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM import_run WHERE format = 'spotify-api:recently-played' AND records_read = 1 "
                + "AND records_inserted = 0 AND records_duplicate = 1 AND records_confirmed = 1")).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE source = 'export' AND api_played_at = ?",
                utc(playedAt(semantics, end, PLAYED)))).isEqualTo(1);

        // another play of A in the same window cannot be that stream too
        poll(new Play(A, playedAt(semantics, end, PLAYED).plusSeconds(30), null));
        assertThat(streams()).isEqualTo(2);
        assertThat(streams("api")).isEqualTo(1);
        assertThat(countedByRuns()).isEqualTo(streams());
    }

    @ParameterizedTest(name = "{0}, played_at = {1}, {2}")
    @CsvSource({
            "h2, start, polled first", "h2, end, polled first", "h2, start, exported first", "h2, end, exported first",
            "h2, start, pages reversed", "h2, end, pages reversed",
            "postgresql, start, polled first", "postgresql, end, exported first", "postgresql, start, pages reversed"})
    @DisplayName("the same track played twice in a row stays two streams, whichever comes first")
    void twiceInARowStaysTwo(String kind, String semantics, String order) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end1 = T0.plusSeconds(213);
        Instant end2 = end1.plusSeconds(213); // with played_at = start, the second play's P is the first one's end
        Play p1 = new Play(A, playedAt(semantics, end1, PLAYED), null);
        Play p2 = new Play(A, playedAt(semantics, end2, PLAYED), null);
        ObjectNode e1 = SpotifyAnswers.exportRecord(A, end1, PLAYED, "android");
        ObjectNode e2 = SpotifyAnswers.exportRecord(A, end2, PLAYED, "android");
        switch (order) {
            case "polled first" -> {
                poll(p1, p2);
                export(e1, e2);
            }
            case "exported first" -> {
                export(e1, e2);
                poll(p1, p2);
            }
            default -> { // the later page loads first: the first play it holds is matched again when the earlier page comes
                export(e1, e2);
                poll(p2);
                poll(p1);
            }
        }

        assertThat(streams()).isEqualTo(2);
        assertThat(streams("export")).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE ts_utc = ? AND api_played_at = ?", utc(end1), utc(p1.playedAt()))).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE ts_utc = ? AND api_played_at = ?", utc(end2), utc(p2.playedAt()))).isEqualTo(1);
        assertThat(countedByRuns()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("an earlier polled play loaded later takes the export stream over; the one it displaces becomes a stream again")
    void anEarlierPlayLoadedLaterTakesTheStreamOver(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213);
        export(SpotifyAnswers.exportRecord(A, end, PLAYED, "android"));
        poll(new Play(A, end, null)); // matches the export stream
        assertThat(streams()).isEqualTo(1);
        poll(new Play(A, end.minusMillis(PLAYED), null)); // earlier: first in time order, so it takes the stream

        assertThat(streams()).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE source = 'export' AND api_played_at = ?", utc(end.minusMillis(PLAYED))))
                .isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE source = 'api' AND ts_utc = ?", utc(end))).isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM polled_play WHERE (stream_id IS NULL) = (confirmed_stream_id IS NULL)"))
                .as("every polled play is held by exactly one stream").isZero();
        assertThat(countedByRuns()).isEqualTo(streams());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("near misses stay separate: outside the tolerance, or another track inside it")
    void nearMissesStaySeparate(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213);
        Instant late = end.plusSeconds(91); // the window is [end - 213 s - 90 s, end + 90 s]
        Instant early = end.minusMillis(PLAYED).minusSeconds(91);
        poll(new Play(A, late, null));
        export(SpotifyAnswers.exportRecord(A, end, PLAYED, "android"),
                SpotifyAnswers.exportRecord(A, end.plusSeconds(7200), PLAYED, "android"));
        poll(new Play(A, early, null), new Play(B, end, null), new Play(A, end.plusSeconds(7200 + 90), null));

        assertThat(streams("export")).isEqualTo(2);
        assertThat(streams("api")).as("late, early and B stay plays of their own").isEqualTo(3);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE api_played_at IS NOT NULL")).as("the one at the window's edge matched")
                .isEqualTo(1);
        assertThat(countedByRuns()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    @DisplayName("a relinked track reconciles: another URI with the same names, or other names with the same ISRC in the catalogue")
    void relinkedTracksReconcile(String kind) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213);
        Track relinked = new Track("6rqhFgbbKwnb9MLmUQDhG6", A.name(), A.artist(), "Greatest Hits", A.durationMs(), A.isrc());
        Track remaster = new Track("2PpruBYCo4H7WOBJ7Q2EwM", "Never Gonna Give You Up (2022 Remaster)", "Rick Astley",
                "Whenever You Need Somebody (Deluxe)", 214_000, A.isrc());
        Track other = new Track("3n3Ppam7vgaVa1iaRUc9Lp", "Mr. Brightside", "The Killers", "Hot Fuss", 222_000, "USIR20400274");
        Instant end2 = end.plusSeconds(3600);
        Instant end3 = end.plusSeconds(7200);
        // the catalogue knows the ISRCs of both ids of the remaster (as enrichment leaves them)
        try (Connection c = f.db.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO track (track_id, name, isrc, described_at) VALUES (?, ?, ?, ?)")) {
            for (Track t : List.of(A, remaster, other)) {
                ps.setString(1, t.id());
                ps.setString(2, t.name());
                ps.setString(3, t.isrc());
                ps.setObject(4, utc(T0));
                ps.executeUpdate();
            }
        }
        poll(new Play(relinked, end.minusMillis(PLAYED), null), new Play(remaster, end2, null),
                new Play(other, end3.minusSeconds(100), null));
        export(SpotifyAnswers.exportRecord(A, end, PLAYED, "android"), SpotifyAnswers.exportRecord(A, end2, PLAYED, "android"),
                SpotifyAnswers.exportRecord(B, end3, PLAYED, "android"));

        assertThat(streams()).isEqualTo(4);
        assertThat(streams("api")).as("a third, unrelated track near B's stream stays its own").isEqualTo(1);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE source = 'export' AND api_played_at IS NOT NULL")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, polled first", "h2, exported first", "postgresql, polled first", "postgresql, exported first"})
    @DisplayName("account data (ends cut to the minute, no URIs) reconciles by names, with the window widened by a minute")
    void accountDataReconciles(String kind, String order) throws Exception {
        f = new LakeFixture(kind, tmp);
        Instant end = T0.plusSeconds(213); // 10:03:33, exported as "2026-11-20 10:03"
        List<ObjectNode> records = new ArrayList<>(List.of(SpotifyAnswers.accountRecord(A, "2026-11-20 10:03", PLAYED),
                SpotifyAnswers.accountRecord(A, "2026-11-20 10:07", PLAYED)));
        Play first = new Play(A, end, null);
        Play second = new Play(A, end.plusSeconds(213), null);
        if (order.equals("polled first")) {
            poll(first, second);
        }
        assertThat(f.export(USER, "StreamingHistory_music_0.json", SpotifyAnswers.array(records)).outcome())
                .isEqualTo(dev.encore.intake.Outcome.LOADED);
        if (order.equals("exported first")) {
            poll(first, second);
        }

        assertThat(streams()).isEqualTo(2);
        assertThat(f.count("SELECT COUNT(*) FROM stream WHERE ts_precision = 'minute' AND source = 'export' AND api_played_at IS NOT NULL"))
                .isEqualTo(2);
        assertThat(countedByRuns()).isEqualTo(2);
    }
}
