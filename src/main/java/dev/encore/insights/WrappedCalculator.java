package dev.encore.insights;

import static dev.encore.insights.Wrapped.minutes;

import dev.encore.export.ContentKey;
import dev.encore.insights.Wrapped.DaySlot;
import dev.encore.insights.Wrapped.HourSlot;
import dev.encore.insights.Wrapped.MonthSlot;
import dev.encore.insights.Wrapped.NewArtist;
import dev.encore.insights.Wrapped.NewArtists;
import dev.encore.insights.Wrapped.Podcasts;
import dev.encore.insights.Wrapped.Ranked;
import dev.encore.insights.Wrapped.Show;
import dev.encore.insights.Wrapped.TopAlbum;
import dev.encore.insights.Wrapped.TopArtist;
import dev.encore.insights.Wrapped.TopTrack;
import dev.encore.insights.Wrapped.Totals;
import dev.encore.insights.Wrapped.WeekdaySlot;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the streams of a period (and of the period before it, for the comparison) into a
 * {@link Wrapped}, in one pass and in the user's time zone. See docs/insights.md for the rules.
 */
final class WrappedCalculator {
    /** Periods up to this many days have a daily {@code by_day}; longer ones weekly, then monthly. */
    static final int DAILY_MAX_DAYS = 2_000;
    static final int WEEKLY_MAX_DAYS = 2_000 * 7;
    private final ListeningRules rules;
    private final CatalogueSnapshot catalogue;
    private final ZoneRules zone;
    private final Rank rank;
    private final long fromSecond;
    private final long toSecond;
    private final long previousFromSecond;
    private final long previousToSecond; // before fromSecond when the previous period is a shorter one (wrapped:)
    private final long firstDay;
    private final int dayCount;

    private final PreviousTotals previous;
    private final Map<Long, Tally> tracks = new HashMap<>();
    private final Map<String, Tally> artists = new HashMap<>();
    private final Map<AlbumKey, Tally> albums = new HashMap<>();
    private final Map<String, Tally> catalogueArtists = new HashMap<>();
    private final Map<String, Tally> exportArtists = new HashMap<>();
    private final Map<String, Tally> shows = new HashMap<>();
    private final Tally podcastTotals = new Tally();
    // names repeat thousands of times in a year: fold each spelling once
    private final Map<String, String> normalised = new HashMap<>();
    private final long[] hourMs = new long[24];
    private final int[] hourPlays = new int[24];
    private final long[] weekdayMs = new long[7];
    private final int[] weekdayPlays = new int[7];
    private final long[] dayMs;
    private final int[] dayPlays;
    private int streams;
    private int fromCatalogue;
    private int fromExport;
    private int skipKnown;
    private int skipped;

    /** How tops are ordered: by minutes or by plays, ties by name. */
    enum Rank {
        MINUTES, PLAYS;

        static Rank parse(String value) {
            if (value == null || value.isBlank() || value.equals("minutes")) {
                return MINUTES;
            }
            if (value.equals("plays")) {
                return PLAYS;
            }
            throw new BadRequestException("rank '" + value + "' is not minutes or plays");
        }

        Comparator<Tally> order() {
            Comparator<Tally> first = this == MINUTES
                    ? Comparator.comparingLong((Tally t) -> t.ms).reversed()
                    : Comparator.comparingInt((Tally t) -> t.plays).reversed();
            return first.thenComparing(Tally::sortName, String.CASE_INSENSITIVE_ORDER).thenComparing(Tally::sortName);
        }
    }

    WrappedCalculator(ListeningRules rules, CatalogueSnapshot catalogue, ZoneId zone, Period period, Rank rank) {
        this.rules = rules;
        this.catalogue = catalogue;
        this.zone = zone.getRules();
        this.rank = rank;
        this.fromSecond = Period.startOf(period.from(), zone);
        this.toSecond = Period.startOf(period.to(), zone);
        this.previousFromSecond = Period.startOf(period.previous().from(), zone);
        this.previousToSecond = Period.startOf(period.previous().to(), zone);
        this.firstDay = period.from().toEpochDay();
        this.dayCount = (int) period.days();
        this.previous = new PreviousTotals(period.previous().from().toEpochDay());
        this.dayMs = new long[dayCount];
        this.dayPlays = new int[dayCount];
    }

    long previousFromSecond() {
        return previousFromSecond;
    }

    long fromSecond() {
        return fromSecond;
    }

    long toSecond() {
        return toSecond;
    }

    /** Folds one stream in: the hot path, run for every stream of the history (see docs/benchmarks.md). */
    void accept(ListenedStream s) {
        long second = s.endEpochSecond();
        if (second < previousFromSecond || second >= toSecond || !rules.counts(s.incognito())) {
            return;
        }
        boolean inPeriod = second >= fromSecond;
        if (!inPeriod && second >= previousToSecond) {
            return;
        }
        if (ListeningRules.PODCAST_KIND.equals(s.kind())) {
            if (inPeriod) {
                addPodcast(s);
            }
            return;
        }
        if (rules.isMusic(s.kind(), s.trackName(), s.artistName())) {
            addMusic(s, second, inPeriod);
        }
    }

    /** A counted music stream of the period, or of the period before (for the comparison only). */
    private void addMusic(ListenedStream s, long second, boolean inPeriod) {
        long localSecond = second + zone.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
        long epochDay = Math.floorDiv(localSecond, 86_400L);
        boolean play = rules.isPlay(s.msPlayed());

        CatalogueSnapshot.Described described = catalogue.find(s.trackUri(), s.trackKey());
        String artistName = described != null && described.artistName() != null ? described.artistName() : s.artistName();
        String artistKey = normalise(artistName);
        String albumName = s.albumName() == null ? "" : normalise(s.albumName());
        AlbumKey albumKey = albumName.isEmpty() ? null : new AlbumKey(albumName, artistKey);
        if (!inPeriod) {
            previous.add(s, play, epochDay, artistKey, albumKey);
            return;
        }
        // the period's own totals are summed from its days and counted from its tallies below
        streams++;
        addToTimeSeries(s.msPlayed(), play, localSecond, epochDay);
        if (s.skipped() != null) {
            skipKnown++;
            skipped += s.skipped() ? 1 : 0;
        }
        addTrack(s, play, described, artistName);
        if (!artistKey.isEmpty()) {
            addArtist(s, play, described, artistKey, artistName);
        }
        if (albumKey != null) {
            addAlbum(s, play, described, albumKey, artistName);
        }
        addExportArtist(s, play, epochDay);
    }

    /** The listening clock, the weekdays and the day series (from which the period's totals come). */
    private void addToTimeSeries(int msPlayed, boolean play, long localSecond, long epochDay) {
        int hour = (int) (Math.floorMod(localSecond, 86_400L) / 3600);
        int weekday = (int) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
        int day = (int) (epochDay - firstDay);
        int p = play ? 1 : 0;
        hourMs[hour] += msPlayed;
        hourPlays[hour] += p;
        weekdayMs[weekday] += msPlayed;
        weekdayPlays[weekday] += p;
        if (day >= 0 && day < dayCount) {
            dayMs[day] += msPlayed;
            dayPlays[day] += p;
        }
    }

    private void addTrack(ListenedStream s, boolean play, CatalogueSnapshot.Described described, String artistName) {
        Tally track = tracks.computeIfAbsent(s.trackKey(), k -> new Tally());
        track.add(s.msPlayed(), play);
        if (track.rename(s.msPlayed(), s.trackName())) {
            track.detail = artistName;
            track.album = s.albumName();
        }
        if (s.trackUri() != null && (track.uri == null || s.msPlayed() >= track.uriMs)) {
            track.uri = s.trackUri();
            track.uriMs = s.msPlayed();
        }
        if (described != null && described.albumImage() != null) {
            track.image = described.albumImage();
        }
    }

    /** The artist as the catalogue names it where enrichment knows the track, else as the export does. */
    private void addArtist(ListenedStream s, boolean play, CatalogueSnapshot.Described described, String artistKey,
            String artistName) {
        Tally artist = artists.computeIfAbsent(artistKey, k -> new Tally());
        artist.add(s.msPlayed(), play);
        artist.rename(s.msPlayed(), artistName);
        String artistId = described == null ? null : described.artistId();
        if (artistId != null && described.artistName() != null) {
            artist.id = artistId;
            artist.image = described.artistImage() != null ? described.artistImage() : artist.image;
            fromCatalogue++;
            catalogueArtists.computeIfAbsent(artistId, k -> new Tally()).add(s.msPlayed(), play);
        } else {
            fromExport++;
        }
    }

    private void addAlbum(ListenedStream s, boolean play, CatalogueSnapshot.Described described, AlbumKey albumKey,
            String artistName) {
        Tally album = albums.computeIfAbsent(albumKey, k -> new Tally());
        album.add(s.msPlayed(), play);
        if (album.rename(s.msPlayed(), s.albumName())) {
            album.detail = artistName;
        }
        if (described != null && described.albumId() != null) {
            album.id = described.albumId();
            album.image = described.albumImage() != null ? described.albumImage() : album.image;
        }
    }

    /** The export's own artist names, for "new artists" (whose first streams are kept under those names). */
    private void addExportArtist(ListenedStream s, boolean play, long epochDay) {
        String exportKey = normalise(s.artistName());
        if (!exportKey.isEmpty()) {
            Tally artist = exportArtists.computeIfAbsent(exportKey, k -> new Tally());
            artist.add(s.msPlayed(), play);
            artist.rename(s.msPlayed(), s.artistName());
            artist.firstDay = Math.min(artist.firstDay, epochDay);
        }
    }

    private void addPodcast(ListenedStream s) {
        boolean play = rules.isPlay(s.msPlayed());
        podcastTotals.add(s.msPlayed(), play);
        String showKey = normalise(s.showName());
        if (showKey.isEmpty()) {
            return;
        }
        Tally show = shows.computeIfAbsent(showKey, k -> new Tally());
        show.add(s.msPlayed(), play);
        show.rename(s.msPlayed(), s.showName());
        if (show.episodes == null) {
            show.episodes = new HashSet<>();
        }
        show.episodes.add(normalise(s.episodeName()));
    }

    private String normalise(String name) {
        return name == null ? "" : normalised.computeIfAbsent(name, ContentKey::normalise);
    }

    /**
     * @param heardBefore  normalised export artist names that have a counted stream before the period
     */
    Wrapped result(String user, ZoneId zoneId, Period period, int limit, Set<String> heardBefore) {
        // a stream counts fully towards each genre of its artist
        Map<String, Tally> genreTallies = new HashMap<>();
        catalogueArtists.forEach((id, tally) -> {
            for (String genre : catalogue.genres(id)) {
                Tally g = genreTallies.computeIfAbsent(genre, k -> new Tally());
                g.name = genre;
                g.ms += tally.ms;
                g.plays += tally.plays;
            }
        });
        List<Tally> newArtists = exportArtists.entrySet().stream()
                .filter(e -> e.getValue().plays > 0 && !heardBefore.contains(e.getKey())).map(Map.Entry::getValue).toList();

        Period before = period.previous();
        return new Wrapped(user, zoneId.getId(), period.preset(), period.from().toString(), period.to().toString(),
                rank.name().toLowerCase(java.util.Locale.ROOT), limit, artistSource(),
                new Wrapped.Rules(rules.minPlayMs(), rules.musicKinds().stream().sorted().toList(), rules.includeIncognito()),
                totals(),
                new Wrapped.Previous(before.from().toString(), before.to().toString(), previous.build()),
                top(tracks.values(), limit, (r, t) -> new TopTrack(r, t.name, t.detail, t.album, t.uri, t.image,
                        t.ms, minutes(t.ms), t.plays)),
                top(artists.values(), limit, (r, t) -> new TopArtist(r, t.name, t.id, t.id != null ? "catalogue" : "export",
                        t.image, t.ms, minutes(t.ms), t.plays)),
                top(albums.values(), limit, (r, t) -> new TopAlbum(r, t.name, t.detail, t.id, t.image, t.ms,
                        minutes(t.ms), t.plays)),
                top(genreTallies.values(), limit, (r, t) -> new Ranked(r, t.name, t.ms, minutes(t.ms), t.plays)),
                byHour(), byWeekday(), byMonth(period), byDay(period), dayUnit(),
                new NewArtists(newArtists.size(), top(newArtists, limit, (r, t) -> new NewArtist(r, t.name,
                        LocalDate.ofEpochDay(t.firstDay).toString(), t.ms, minutes(t.ms), t.plays))),
                longestStreak(), skipKnown == 0 ? null : (double) skipped / skipKnown,
                new Podcasts(minutes(podcastTotals.ms), podcastTotals.ms, podcastTotals.plays, podcastTotals.streams,
                        top(shows.values(), limit, (r, t) -> new Show(r, t.name, t.ms, minutes(t.ms), t.plays,
                                t.episodes.size()))));
    }

    private Totals totals() {
        long ms = 0;
        int plays = 0;
        int days = 0;
        for (int d = 0; d < dayCount; d++) {
            ms += dayMs[d];
            plays += dayPlays[d];
            days += dayPlays[d] > 0 ? 1 : 0;
        }
        return new Totals(minutes(ms), ms, plays, streams, played(tracks.values()), played(artists.values()),
                played(albums.values()), days);
    }

    /** The longest run of consecutive days with a play. */
    private int longestStreak() {
        int best = 0;
        int run = 0;
        for (int d = 0; d < dayCount; d++) {
            run = dayPlays[d] > 0 ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    private static int played(Collection<Tally> tallies) {
        int n = 0;
        for (Tally t : tallies) {
            n += t.plays > 0 ? 1 : 0;
        }
        return n;
    }

    private String artistSource() {
        if (fromCatalogue == 0) {
            return "export";
        }
        return fromExport == 0 ? "catalogue" : "mixed";
    }

    private interface Entry<T> {
        T make(int rank, Tally tally);
    }

    private <T> List<T> top(Collection<Tally> tallies, int limit, Entry<T> entry) {
        List<Tally> sorted = tallies.stream().sorted(rank.order()).limit(limit).toList();
        List<T> out = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            out.add(entry.make(i + 1, sorted.get(i)));
        }
        return out;
    }

    private List<HourSlot> byHour() {
        List<HourSlot> out = new ArrayList<>(24);
        for (int h = 0; h < 24; h++) {
            out.add(new HourSlot(h, hourMs[h], minutes(hourMs[h]), hourPlays[h]));
        }
        return out;
    }

    private List<WeekdaySlot> byWeekday() {
        List<WeekdaySlot> out = new ArrayList<>(7);
        for (int d = 0; d < 7; d++) {
            out.add(new WeekdaySlot(DayOfWeek.of(d + 1).name(), weekdayMs[d], minutes(weekdayMs[d]), weekdayPlays[d]));
        }
        return out;
    }

    /** The step of the {@code by_day} series: as fine as keeps it at most about 2,000 entries long. */
    private String dayUnit() {
        return dayCount <= DAILY_MAX_DAYS ? "day" : dayCount <= WEEKLY_MAX_DAYS ? "week" : "month";
    }

    /** Each day, or each week (from Monday) or month of the period; a first and last one may be partial. */
    private List<DaySlot> byDay(Period period) {
        String unit = dayUnit();
        List<DaySlot> out = new ArrayList<>();
        LocalDate start = null;
        long ms = 0;
        int plays = 0;
        for (int d = 0; d < dayCount; d++) {
            LocalDate date = period.from().plusDays(d);
            boolean opens = start == null || unit.equals("day")
                    || (unit.equals("week") ? date.getDayOfWeek() == DayOfWeek.MONDAY : date.getDayOfMonth() == 1);
            if (opens && start != null) {
                out.add(new DaySlot(start.toString(), ms, minutes(ms), plays));
                ms = 0;
                plays = 0;
            }
            if (opens) {
                start = date;
            }
            ms += dayMs[d];
            plays += dayPlays[d];
        }
        if (start != null) {
            out.add(new DaySlot(start.toString(), ms, minutes(ms), plays));
        }
        return out;
    }

    private List<MonthSlot> byMonth(Period period) {
        Map<YearMonth, long[]> months = new java.util.LinkedHashMap<>();
        for (int d = 0; d < dayCount; d++) {
            long[] m = months.computeIfAbsent(YearMonth.from(period.from().plusDays(d)), k -> new long[2]);
            m[0] += dayMs[d];
            m[1] += dayPlays[d];
        }
        List<MonthSlot> out = new ArrayList<>(months.size());
        months.forEach((month, m) -> out.add(new MonthSlot(month.toString(), m[0], minutes(m[0]), (int) m[1])));
        return out;
    }

    /** An album is its name and its artist's (both normalised): many albums are called "Greatest Hits". */
    private record AlbumKey(String album, String artist) {
    }

    /** What was listened to under one key: a track, an artist, an album, a genre, a show. */
    static final class Tally {
        long ms;
        int plays;
        int streams;
        String name;
        int nameMs = -1;
        String detail;
        String album;
        String uri;
        int uriMs;
        String id;
        String image;
        long firstDay = Long.MAX_VALUE;
        Set<String> episodes;

        void add(int msPlayed, boolean play) {
            ms += msPlayed;
            plays += play ? 1 : 0;
            streams++;
        }

        /**
         * Takes the spelling of the longest stream (ties: the first in code-point order), so the
         * name shown does not depend on the order rows arrive in. True when it was taken.
         */
        boolean rename(int msPlayed, String candidate) {
            if (candidate == null) {
                return false;
            }
            if (msPlayed > nameMs || (msPlayed == nameMs && candidate.compareTo(name) < 0)) {
                nameMs = msPlayed;
                name = candidate;
                return true;
            }
            return false;
        }

        String sortName() {
            return name == null ? "" : name;
        }
    }

    /** The totals of the period before, for the comparison. */
    private static final class PreviousTotals {
        private final long firstDay;
        long ms;
        int plays;
        int streams;
        final Set<Long> tracks = new HashSet<>();
        final Set<String> artists = new HashSet<>();
        final Set<AlbumKey> albums = new HashSet<>();
        final java.util.BitSet days = new java.util.BitSet(); // days with a play, from firstDay on

        /** @param firstDay the epoch day of the earliest stream that can come */
        PreviousTotals(long firstDay) {
            this.firstDay = firstDay;
        }

        void add(ListenedStream s, boolean play, long epochDay, String artistKey, AlbumKey albumKey) {
            ms += s.msPlayed();
            streams++;
            if (!play) {
                return;
            }
            plays++;
            days.set((int) (epochDay - firstDay));
            tracks.add(s.trackKey());
            if (!artistKey.isEmpty()) {
                artists.add(artistKey);
            }
            if (albumKey != null) {
                albums.add(albumKey);
            }
        }

        Totals build() {
            return new Totals(minutes(ms), ms, plays, streams, tracks.size(), artists.size(), albums.size(),
                    days.cardinality());
        }
    }
}
