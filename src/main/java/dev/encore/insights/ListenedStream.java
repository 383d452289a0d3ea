package dev.encore.insights;

/**
 * One stream as the insights read it: the export's names, and the catalogue's primary artist
 * and album where enrichment has described the track (null otherwise).
 */
record ListenedStream(long endEpochSecond, int msPlayed, String kind, long trackKey, String trackUri,
        String trackName, String artistName, String albumName, String showName, String episodeName,
        Boolean skipped, Boolean incognito, String catalogueArtistId, String catalogueArtistName,
        String artistImage, String albumId, String albumImage) {
}
