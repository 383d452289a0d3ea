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
        System.arraycopy(details(r), 0, v, DETAILS_FROM, DETAILS.size());
        v[26] = "export";
        v[27] = importRunId;
        return v;
    }

    /** The {@link #DETAILS} values of a record. */
    static Object[] details(StreamRecord r) {
        return new Object[] {r.trackUri(), r.episodeUri(), r.audiobookUri(), r.chapterUri(),
                r.trackName(), r.artistName(), r.albumName(), r.episodeName(), r.showName(),
                r.audiobookTitle(), r.chapterTitle(), r.platform(), r.connCountry(), r.reasonStart(), r.reasonEnd(),
                r.shuffle(), r.skipped(), r.offline(), r.offlineAt(), r.incognito()};
    }

    static String placeholders(int n) {
        String[] marks = new String[n];
        Arrays.fill(marks, "?");
        return String.join(", ", marks);
    }
}
