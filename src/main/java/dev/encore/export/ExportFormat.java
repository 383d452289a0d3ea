package dev.encore.export;

import java.util.Optional;
import java.util.Set;

/**
 * The schemas Spotify has used for listening history, told apart by the keys of a record.
 * File names changed independently of the fields, so they are never used for this.
 */
public enum ExportFormat {
    /** Extended history since late 2024: {@code ip_addr}, {@code audiobook_*}. */
    EXTENDED_2024("extended-2024", TimePrecision.SECOND),
    /** {@code endsong_N.json} of 2021-2023 and the 2023 transitional files: URIs, {@code username}. */
    EXTENDED_2022("extended-2022", TimePrecision.SECOND),
    /** The oldest {@code endsong_N.json}: no URIs at all, city and region fields. */
    EXTENDED_2020("extended-2020", TimePrecision.SECOND),
    /** Account data ({@code StreamingHistory*.json}): {@code endTime, artistName, trackName, msPlayed}. */
    ACCOUNT_MUSIC("account-music", TimePrecision.MINUTE),
    /** Account data podcasts: {@code endTime, podcastName, episodeName, msPlayed}. */
    ACCOUNT_PODCAST("account-podcast", TimePrecision.MINUTE),
    /** Account data audiobooks: {@code endTime, audiobookName, chapterName, authorName, msPlayed}. */
    ACCOUNT_AUDIOBOOK("account-audiobook", TimePrecision.MINUTE);

    private final String label;
    private final TimePrecision precision;

    ExportFormat(String label, TimePrecision precision) {
        this.label = label;
        this.precision = precision;
    }

    public String label() {
        return label;
    }

    public TimePrecision precision() {
        return precision;
    }

    public boolean isExtended() {
        return precision == TimePrecision.SECOND;
    }

    public static Optional<ExportFormat> detect(Set<String> keys) {
        if (keys.contains("ts") && keys.contains("ms_played")) {
            if (keys.contains("ip_addr") || keys.contains("audiobook_uri") || keys.contains("audiobook_title")) {
                return Optional.of(EXTENDED_2024);
            }
            return Optional.of(keys.contains("spotify_track_uri") ? EXTENDED_2022 : EXTENDED_2020);
        }
        if (keys.contains("endTime") && keys.contains("msPlayed")) {
            if (keys.contains("podcastName") || keys.contains("episodeName")) {
                return Optional.of(ACCOUNT_PODCAST);
            }
            if (keys.contains("audiobookName") || keys.contains("chapterName")) {
                return Optional.of(ACCOUNT_AUDIOBOOK);
            }
            if (keys.contains("artistName") || keys.contains("trackName")) {
                return Optional.of(ACCOUNT_MUSIC);
            }
        }
        return Optional.empty();
    }
}
