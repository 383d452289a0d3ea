package dev.encore.export;

import java.util.Locale;

/** What was listened to. Stored lower-case in {@code stream.kind}. */
public enum Kind {
    MUSIC, EPISODE, AUDIOBOOK, VIDEO,
    /** Account-data files of the oldest naming mix music and podcasts under the same keys. */
    UNKNOWN;

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
