package dev.encore.insights;

import java.util.List;

/**
 * The answer of {@code /api/users/{user}/wrapped}; field names become snake_case JSON. {@code byDay}
 * is a series of days, or of weeks or months for long periods, as {@code byDayUnit} says
 * ({@link WrappedCalculator#DAILY_MAX_DAYS}): a century of days would be 2 MB of answer.
 */
public record Wrapped(String user, String timeZone, String period, String from, String to, String rank, int limit,
        String artistSource, Rules rules, Totals totals, Previous previous,
        List<TopTrack> topTracks, List<TopArtist> topArtists, List<TopAlbum> topAlbums, List<Ranked> topGenres,
        List<HourSlot> byHour, List<WeekdaySlot> byWeekday, List<MonthSlot> byMonth, List<DaySlot> byDay, String byDayUnit,
        NewArtists newArtists, int longestStreakDays, Double skipRate, Podcasts podcasts) {

    public record Rules(int minPlayMs, List<String> musicKinds, boolean includeIncognito) {
    }

    public record Totals(double minutes, long msPlayed, int plays, int streams, int distinctTracks,
            int distinctArtists, int distinctAlbums, int daysListened) {
    }

    public record Previous(String from, String to, Totals totals) {
    }

    public record TopTrack(int rank, String name, String artist, String album, String uri, String image,
            long msPlayed, double minutes, int plays) {
    }

    public record TopArtist(int rank, String name, String id, String source, String image, long msPlayed,
            double minutes, int plays) {
    }

    public record TopAlbum(int rank, String name, String artist, String id, String image, long msPlayed,
            double minutes, int plays) {
    }

    /** A genre or a new artist: a name and what was listened to. */
    public record Ranked(int rank, String name, long msPlayed, double minutes, int plays) {
    }

    public record NewArtist(int rank, String name, String firstPlayed, long msPlayed, double minutes, int plays) {
    }

    public record NewArtists(int count, List<NewArtist> top) {
    }

    public record Show(int rank, String name, long msPlayed, double minutes, int plays, int episodes) {
    }

    public record Podcasts(double minutes, long msPlayed, int plays, int streams, List<Show> topShows) {
    }

    public record HourSlot(int hour, long msPlayed, double minutes, int plays) {
    }

    public record WeekdaySlot(String weekday, long msPlayed, double minutes, int plays) {
    }

    public record MonthSlot(String month, long msPlayed, double minutes, int plays) {
    }

    /** A day, or the week or month starting on {@code date} (clipped to the period at its ends). */
    public record DaySlot(String date, long msPlayed, double minutes, int plays) {
    }

    /** Minutes as shown: Σ ms / 60,000, to two decimals. */
    static double minutes(long ms) {
        return Math.round(ms / 600.0) / 100.0;
    }
}
