package dev.encore.export;

import dev.encore.export.RawRecord.Key;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Turns the raw values of one record into a {@link StreamRecord}, checking each value's type and
 * length against what the database stores, so a bad value costs one record, never the file.
 */
final class RecordMapper {
    /** Spotify launched in 2008; anything before 2006 is a broken clock, not a stream. */
    private static final Instant EARLIEST = Instant.parse("2006-01-01T00:00:00Z");
    /** Epoch values above this are milliseconds: 10^11 seconds is the year 5138. */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    static final int NAME = 1000;
    static final int URI = 200;
    static final int PLATFORM = 500;
    static final int COUNTRY = 8;
    static final int REASON = 40;

    private final ExportFormat format;
    private final boolean videoFile;
    private final boolean musicFile;

    /**
     * @param fileName only used to mark video plays and the music-only account files: the two
     *                 facts that no key carries (the schema itself is always detected from keys)
     */
    RecordMapper(ExportFormat format, String fileName) {
        this.format = format;
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        this.videoFile = lower.contains("video");
        this.musicFile = lower.contains("_music_");
    }

    StreamRecord map(RawRecord raw) throws RejectedRecordException {
        return format.isExtended() ? mapExtended(raw) : mapAccount(raw);
    }

    private StreamRecord mapExtended(RawRecord r) throws RejectedRecordException {
        Instant ts = time(r, Key.TS);
        int ms = duration(r, Key.MS_PLAYED);
        String trackUri = text(r, Key.TRACK_URI, URI);
        String trackName = text(r, Key.TRACK_NAME, NAME);
        String artistName = text(r, Key.ALBUM_ARTIST_NAME, NAME);
        String albumName = text(r, Key.ALBUM_NAME, NAME);
        String episodeUri = text(r, Key.EPISODE_URI, URI);
        String episodeName = text(r, Key.EPISODE_NAME, NAME);
        String showName = text(r, Key.EPISODE_SHOW_NAME, NAME);
        String audiobookUri = text(r, Key.AUDIOBOOK_URI, URI);
        String audiobookTitle = text(r, Key.AUDIOBOOK_TITLE, NAME);
        String chapterUri = text(r, Key.AUDIOBOOK_CHAPTER_URI, URI);
        String chapterTitle = text(r, Key.AUDIOBOOK_CHAPTER_TITLE, NAME);

        Kind kind;
        if (audiobookUri != null || audiobookTitle != null || chapterUri != null) {
            kind = Kind.AUDIOBOOK;
        } else if (trackUri != null || trackName != null) {
            kind = Kind.MUSIC;
        } else if (videoFile) {
            kind = Kind.VIDEO;
        } else if (episodeUri != null || episodeName != null) {
            kind = Kind.EPISODE;
        } else {
            kind = Kind.UNKNOWN;
        }
        long key = ContentKey.of(trackName, artistName, episodeName, showName, audiobookTitle, chapterTitle,
                trackUri, episodeUri, chapterUri, audiobookUri);
        return new StreamRecord(ts, TimePrecision.SECOND, ms, kind, key,
                trackUri, episodeUri, audiobookUri, chapterUri, trackName, artistName, albumName,
                episodeName, showName, audiobookTitle, chapterTitle,
                text(r, Key.PLATFORM, PLATFORM), text(r, Key.CONN_COUNTRY, COUNTRY),
                text(r, Key.REASON_START, REASON), text(r, Key.REASON_END, REASON),
                bool(r, Key.SHUFFLE), bool(r, Key.SKIPPED), bool(r, Key.OFFLINE),
                offlineTime(r), bool(r, Key.INCOGNITO_MODE));
    }

    private StreamRecord mapAccount(RawRecord r) throws RejectedRecordException {
        Instant ts = time(r, Key.END_TIME);
        int ms = duration(r, Key.MS_PLAYED_ACCOUNT);
        String trackName = null, artistName = null, episodeName = null, showName = null;
        String audiobookTitle = null, chapterTitle = null;
        Kind kind;
        switch (format) {
            case ACCOUNT_PODCAST -> {
                showName = text(r, Key.PODCAST_NAME, NAME);
                episodeName = text(r, Key.EPISODE_NAME_ACCOUNT, NAME);
                kind = Kind.EPISODE;
            }
            case ACCOUNT_AUDIOBOOK -> {
                audiobookTitle = text(r, Key.AUDIOBOOK_NAME, NAME);
                chapterTitle = text(r, Key.CHAPTER_NAME, NAME);
                artistName = text(r, Key.AUTHOR_NAME, NAME);
                kind = Kind.AUDIOBOOK;
            }
            default -> {
                artistName = text(r, Key.ARTIST_NAME, NAME);
                trackName = text(r, Key.TRACK_NAME_ACCOUNT, NAME);
                // StreamingHistory_music_N holds music only; the older StreamingHistoryN mixes in podcasts
                kind = videoFile ? Kind.VIDEO : musicFile ? Kind.MUSIC : Kind.UNKNOWN;
            }
        }
        long key = ContentKey.of(trackName, artistName, episodeName, showName, audiobookTitle, chapterTitle);
        return new StreamRecord(ts, TimePrecision.MINUTE, ms, kind, key,
                null, null, null, null, trackName, artistName, null, episodeName, showName, audiobookTitle,
                chapterTitle, null, null, null, null, null, null, null, null, null);
    }

    private static Instant time(RawRecord r, Key key) throws RejectedRecordException {
        Object v = r.value(key);
        if (v == null) {
            throw new RejectedRecordException(key.jsonName + " is missing");
        }
        if (!(v instanceof String s)) {
            throw new RejectedRecordException(key.jsonName + " should be a time text but is " + describe(v));
        }
        Instant t;
        try {
            t = SpotifyTimestamps.parse(s);
        } catch (DateTimeException e) {
            throw new RejectedRecordException(key.jsonName + " \"" + abbreviate(s) + "\" is not a valid time");
        }
        if (t.isBefore(EARLIEST) || t.isAfter(Instant.now().plusSeconds(2 * 86_400))) {
            throw new RejectedRecordException(key.jsonName + " " + s + " is outside the years Spotify has existed");
        }
        return t;
    }

    private static int duration(RawRecord r, Key key) throws RejectedRecordException {
        Object v = r.value(key);
        if (v == null) {
            throw new RejectedRecordException(key.jsonName + " is missing");
        }
        if (!(v instanceof Long ms)) {
            throw new RejectedRecordException(key.jsonName + " should be a whole number but is " + describe(v));
        }
        if (ms < 0 || ms > Integer.MAX_VALUE) {
            throw new RejectedRecordException(key.jsonName + " " + ms + " is not a possible duration");
        }
        return (int) (long) ms;
    }

    private static String text(RawRecord r, Key key, int maxLength) throws RejectedRecordException {
        Object v = r.value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new RejectedRecordException(key.jsonName + " should be text but is " + describe(v));
        }
        if (s.length() > maxLength) {
            throw new RejectedRecordException(key.jsonName + " is " + s.length()
                    + " characters long; at most " + maxLength + " are stored");
        }
        if (s.indexOf('\u0000') >= 0) { // PostgreSQL cannot store it, and no real name has one
            throw new RejectedRecordException(key.jsonName + " contains a NUL character");
        }
        return s;
    }

    private static Boolean bool(RawRecord r, Key key) throws RejectedRecordException {
        Object v = r.value(key);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new RejectedRecordException(key.jsonName + " should be true, false or null but is " + describe(v));
    }

    /** Older exports count in milliseconds, newer ones in seconds, and 0 means "none". */
    private static Instant offlineTime(RawRecord r) throws RejectedRecordException {
        Object v = r.value(Key.OFFLINE_TIMESTAMP);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long n)) {
            throw new RejectedRecordException("offline_timestamp should be a whole number but is " + describe(v));
        }
        if (n <= 0) {
            return null;
        }
        return n > MILLIS_THRESHOLD ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
    }

    private static String describe(Object v) {
        if (v instanceof RawRecord.Malformed m) {
            return m.description();
        }
        if (v instanceof String s) {
            return "the text \"" + abbreviate(s) + "\"";
        }
        if (v instanceof Boolean b) {
            return "the boolean " + b;
        }
        return "the number " + v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
