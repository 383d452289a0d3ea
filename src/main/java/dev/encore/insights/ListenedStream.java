package dev.encore.insights;

/**
 * One stream as the insights read it: when it ended, for how long, and the export's names. The
 * track key is boxed once here (shared by the streams of a track), not in every report.
 */
record ListenedStream(long endEpochSecond, int msPlayed, String kind, Long trackKey, String trackUri,
        String trackName, String artistName, String albumName, String showName, String episodeName,
        Boolean skipped, Boolean incognito) {
}
