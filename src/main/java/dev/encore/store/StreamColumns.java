package dev.encore.store;

import dev.encore.export.StreamRecord;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The columns a loaded stream fills, in one order, and each record's values in that order. */
final class StreamColumns {
    static final List<String> NAMES = List.of(
            "user_id", "ts_utc", "ts_precision", "ms_played", "kind", "content_hash",
            "track_uri", "episode_uri", "audiobook_uri", "chapter_uri",
            "track_name", "artist_name", "album_name", "episode_name", "show_name", "audiobook_title", "chapter_title",
            "platform", "conn_country", "reason_start", "reason_end",
            "shuffle", "skipped", "offline", "offline_ts", "incognito", "source", "import_run_id");
    /** The JDBC type of each column, for typed NULLs (PostgreSQL cannot guess them in a SELECT list). */
    static final int[] TYPES = {
            Types.VARCHAR, Types.TIMESTAMP, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.BIGINT,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
            Types.BOOLEAN, Types.BOOLEAN, Types.BOOLEAN, Types.TIMESTAMP, Types.BOOLEAN, Types.VARCHAR, Types.BIGINT};
    static final int DETAILS_FROM = 6;
    /** The columns an extended record brings to an account-data row it matches. */
    static final List<String> DETAILS = NAMES.subList(DETAILS_FROM, 26);
    static final String LIST = String.join(", ", NAMES);

    private StreamColumns() {
    }

    /** One record's values, in {@link #NAMES} order (times as {@link Instant}, booleans as {@link Boolean}). */
    static Object[] values(StreamRecord r, String userId, long importRunId) {
        Object[] v = new Object[NAMES.size()];
        v[0] = userId;
        v[1] = r.endedAt();
        v[2] = r.precision().dbValue();
        v[3] = r.msPlayed();
        v[4] = r.kind().dbValue();
        v[5] = r.contentHash();
        putDetails(r, v, DETAILS_FROM);
        v[26] = "export";
        v[27] = importRunId;
        return v;
    }

    /** The {@link #DETAILS} values of a record. */
    static Object[] details(StreamRecord r) {
        return putDetails(r, new Object[DETAILS.size()], 0);
    }

    /** Writes the {@link #DETAILS} values into {@code target} from {@code at} on (no copy on the per-record path). */
    private static Object[] putDetails(StreamRecord r, Object[] target, int at) {
        int i = at;
        target[i++] = r.trackUri();
        target[i++] = r.episodeUri();
        target[i++] = r.audiobookUri();
        target[i++] = r.chapterUri();
        target[i++] = r.trackName();
        target[i++] = r.artistName();
        target[i++] = r.albumName();
        target[i++] = r.episodeName();
        target[i++] = r.showName();
        target[i++] = r.audiobookTitle();
        target[i++] = r.chapterTitle();
        target[i++] = r.platform();
        target[i++] = r.connCountry();
        target[i++] = r.reasonStart();
        target[i++] = r.reasonEnd();
        target[i++] = r.shuffle();
        target[i++] = r.skipped();
        target[i++] = r.offline();
        target[i++] = r.offlineAt();
        target[i] = r.incognito();
        return target;
    }

    static String placeholders(int n) {
        String[] marks = new String[n];
        Arrays.fill(marks, "?");
        return String.join(", ", marks);
    }
}
