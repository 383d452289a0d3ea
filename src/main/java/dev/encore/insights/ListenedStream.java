package dev.encore.insights;

/** One stream as the insights read it: when it ended, for how long, and the export's names. */
record ListenedStream(long endEpochSecond, int msPlayed, String kind, long trackKey, String trackUri,
        String trackName, String artistName, String albumName, String showName, String episodeName,
        Boolean skipped, Boolean incognito) {
}
