package dev.encore.export;

import java.util.Locale;

/** What was listened to. Stored lower-case in {@code stream.kind}. */
public enum Kind {
    MUSIC, EPISODE, AUDIOBOOK, VIDEO,
    /** Account-data files of the oldest naming mix music and podcasts under the same keys. */
    UNKNOWN;

    private final String dbValue = name().toLowerCase(Locale.ROOT); // asked for every stream written

    public String dbValue() {
        return dbValue;
    }
}
