package dev.encore.export;

import java.time.Instant;

/**
 * One listening event, normalised from any export generation. Everything but the time, the
 * duration, the kind and the content key may be null.
 *
 * @param endedAt     when the stream ended (Spotify's {@code ts} / {@code endTime}), UTC
 * @param contentHash see {@link ContentKey}; part of the natural key
 */
public record StreamRecord(
        Instant endedAt, TimePrecision precision, int msPlayed, Kind kind, long contentHash,
        String trackUri, String episodeUri, String audiobookUri, String chapterUri,
        String trackName, String artistName, String albumName,
        String episodeName, String showName, String audiobookTitle, String chapterTitle,
        String platform, String connCountry, String reasonStart, String reasonEnd,
        Boolean shuffle, Boolean skipped, Boolean offline, Instant offlineAt, Boolean incognito) {
}
