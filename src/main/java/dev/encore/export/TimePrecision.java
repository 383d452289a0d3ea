package dev.encore.export;

import java.util.Locale;

/** Extended history gives the end of a stream to the second, account data only to the minute. */
public enum TimePrecision {
    SECOND, MINUTE;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
