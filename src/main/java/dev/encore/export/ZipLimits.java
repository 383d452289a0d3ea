package dev.encore.export;

/**
 * Bounds on what a ZIP may unpack to, against ZIP bombs. A real Spotify export is a few hundred
 * MB of JSON at most, compressed about tenfold.
 *
 * @param maxEntryBytes largest uncompressed entry
 * @param maxTotalBytes largest uncompressed archive
 * @param maxRatio      largest uncompressed/compressed ratio of an entry over 1 MiB
 * @param maxEntries    most entries in one archive
 */
public record ZipLimits(long maxEntryBytes, long maxTotalBytes, int maxRatio, int maxEntries) {
    public static final ZipLimits DEFAULT = new ZipLimits(1L << 30, 8L << 30, 100, 10_000);
}
