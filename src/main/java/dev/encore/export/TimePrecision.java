package dev.encore.export;

import java.util.Locale;

/** Extended history gives the end of a stream to the second, account data only to the minute. */
public enum TimePrecision {
    SECOND, MINUTE;

    private final String dbValue = name().toLowerCase(Locale.ROOT); // asked for every stream written

    public String dbValue() {
        return dbValue;
    }
}
