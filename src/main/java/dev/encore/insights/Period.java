package dev.encore.insights;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reporting period: local days {@code [from, to)} in the user's time zone, and the preset it
 * came from, if any ({@code year:2024}, {@code wrapped:2024}, {@code last:4w}, {@code all}).
 */
public record Period(LocalDate from, LocalDate to, String preset) {
    private static final Pattern YEAR = Pattern.compile("(year|wrapped):(\\d{4})");
    private static final Pattern LAST = Pattern.compile("last:(\\d{1,4})([dwmy])");

    /**
     * The period to compare with: a year preset's same window a year earlier (2023 for 2024,
     * whatever the leap days), the N months or years before {@code last:Nm} / {@code last:Ny},
     * else the same number of days just before.
     */
    public Period previous() {
        if (preset != null) {
            Matcher year = YEAR.matcher(preset);
            if (year.matches()) {
                return new Period(from.minusYears(1), to.minusYears(1), null);
            }
            Matcher last = LAST.matcher(preset);
            if (last.matches() && (last.group(2).equals("m") || last.group(2).equals("y"))) {
                int n = Integer.parseInt(last.group(1));
                return new Period(last.group(2).equals("m") ? from.minusMonths(n) : from.minusYears(n), from, null);
            }
        }
        long days = ChronoUnit.DAYS.between(from, to);
        return new Period(from.minusDays(days), from, null);
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to);
    }

    /**
     * From the query parameters: {@code period}, or {@code from} and {@code to}, or all of the
     * user's history when neither is given.
     *
     * @param today       today in the user's zone, for {@code last:...}
     * @param history     the user's first and last local day, for {@code all}; empty without streams
     */
    public static Period resolve(String period, String from, String to, LocalDate today,
            Supplier<Optional<Period>> history) {
        boolean hasRange = present(from) || present(to);
        if (present(period) && hasRange) {
            throw new BadRequestException("Give either period or from and to, not both");
        }
        if (hasRange) {
            if (!present(from) || !present(to)) {
                throw new BadRequestException("Give both from and to (dates like 2024-01-01; to is exclusive)");
            }
            LocalDate f = date("from", from);
            LocalDate t = date("to", to);
            if (!f.isBefore(t)) {
                throw new BadRequestException("from (" + f + ") must be before to (" + t + "); to is exclusive");
            }
            return new Period(f, t, null);
        }
        String p = present(period) ? period.trim() : "all";
        if (p.equals("all")) {
            return history.get().map(h -> new Period(h.from(), h.to(), "all"))
                    .orElse(new Period(today, today.plusDays(1), "all"));
        }
        Matcher year = YEAR.matcher(p);
        if (year.matches()) {
            int y = Integer.parseInt(year.group(2));
            LocalDate start = LocalDate.of(y, 1, 1);
            // Spotify's Wrapped counts January 1 to about November 15
            LocalDate end = year.group(1).equals("year") ? start.plusYears(1) : LocalDate.of(y, 11, 16);
            return new Period(start, end, p);
        }
        Matcher last = LAST.matcher(p);
        if (last.matches()) {
            int n = Integer.parseInt(last.group(1));
            if (n == 0) {
                throw new BadRequestException("period '" + p + "' is empty; use last:1d or more");
            }
            LocalDate end = today.plusDays(1);
            LocalDate start = switch (last.group(2)) {
                case "d" -> end.minusDays(n);
                case "w" -> end.minusWeeks(n);
                case "m" -> end.minusMonths(n);
                default -> end.minusYears(n);
            };
            return new Period(start, end, p);
        }
        throw new BadRequestException("period '" + period + "' is not one of: year:YYYY, wrapped:YYYY, "
                + "last:N(d|w|m|y) such as last:4w, all");
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " '" + value + "' is not a date like 2024-01-01");
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** The UTC instant (epoch second) a local day starts at, in the given zone. */
    static long startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toEpochSecond();
    }
}
