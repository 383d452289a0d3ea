package dev.encore.export;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Parses the two time formats of the exports, both UTC: {@code 2024-11-04T22:19:36Z} (extended
 * history) and {@code 2024-11-04 22:19} (account data). The fixed layouts are parsed by hand
 * because this runs once per record; anything else ISO-8601 falls back to the JDK parser.
 */
public final class SpotifyTimestamps {
    private SpotifyTimestamps() {
    }

    /** @throws DateTimeException when the text is not a valid time */
    public static Instant parse(String text) {
        int n = text.length();
        if ((n == 20 && text.charAt(10) == 'T' && text.charAt(19) == 'Z') || (n == 16 && text.charAt(10) == ' ')) {
            if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':'
                    || (n == 20 && text.charAt(16) != ':')) {
                throw new DateTimeException("not a time: " + text);
            }
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = n == 20 ? digits(text, 17, 19) : 0;
            if (hour > 23 || minute > 59 || second > 59) {
                throw new DateTimeException("not a time: " + text);
            }
            long day = LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10)).toEpochDay();
            return Instant.ofEpochSecond(day * 86_400L + hour * 3_600L + minute * 60L + second);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new DateTimeException("not a time: " + text);
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new DateTimeException("not a time: " + s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
