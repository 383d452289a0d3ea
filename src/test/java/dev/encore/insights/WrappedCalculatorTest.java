package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configurable rules: what a play is, what music is, whether private sessions count. */
class WrappedCalculatorTest {
    private static final Period MARCH_FIRST = new Period(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 2), null);

    private static final List<ListenedStream> STREAMS = List.of(
            stream("2024-03-01T10:00:00Z", 20_000, "music", false),
            stream("2024-03-01T11:00:00Z", 40_000, "music", true),
            stream("2024-03-01T12:00:00Z", 50_000, "unknown", false));

    @Test
    void wrappedsDefaultsLeaveOutPrivateSessionsAndShortStreams() {
        Wrapped w = wrapped(new ListeningRules(30_000, Set.of("music", "unknown"), false));
        assertThat(w.totals().streams()).isEqualTo(2);
        assertThat(w.totals().msPlayed()).isEqualTo(70_000);
        assertThat(w.totals().plays()).isEqualTo(1);
    }

    @Test
    void aShorterPlayPrivateSessionsAndOnlyLabelledMusicCanBeAskedFor() {
        Wrapped w = wrapped(new ListeningRules(10_000, Set.of("music"), true));
        assertThat(w.totals().streams()).isEqualTo(2);
        assertThat(w.totals().msPlayed()).isEqualTo(60_000);
        assertThat(w.totals().plays()).isEqualTo(2);
        assertThat(w.rules().minPlayMs()).isEqualTo(10_000);
        assertThat(w.rules().includeIncognito()).isTrue();
    }

    private static Wrapped wrapped(ListeningRules rules) {
        WrappedCalculator calculator = new WrappedCalculator(rules, CatalogueSnapshot.EMPTY, ZoneId.of("UTC"), MARCH_FIRST,
                WrappedCalculator.Rank.MINUTES);
        STREAMS.forEach(calculator::accept);
        return calculator.result("u", ZoneId.of("UTC"), MARCH_FIRST, 10, Set.of());
    }

    private static ListenedStream stream(String end, int ms, String kind, boolean incognito) {
        return new ListenedStream(Instant.parse(end).getEpochSecond(), ms, kind, (long) ms, null, "Track " + ms, "Artist",
                null, null, null, null, incognito);
    }
}
