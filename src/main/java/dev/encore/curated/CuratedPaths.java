package dev.encore.curated;

import java.nio.charset.StandardCharsets;

/**
 * The curated zone's layout (docs/curated-zone.md):
 * {@code curated/<table>/user=<u>/year=YYYY/month=MM/part-00000.parquet} for streams,
 * {@code curated/<table>/user=<u>/part-00000.parquet} for a user's playlists,
 * {@code curated/<table>/part-00000.parquet} for the catalogue. One file per partition, always
 * the same name, so a rewrite replaces it.
 */
public final class CuratedPaths {
    public static final String FILE = "part-00000.parquet";

    private CuratedPaths() {
    }

    public static String of(CuratedTable table, String user, int year, int month) {
        return switch (table.split()) {
            case USER_MONTH -> "curated/%s/user=%s/year=%04d/month=%02d/%s".formatted(table.tableName(), value(user), year, month, FILE);
            case USER -> "curated/%s/user=%s/%s".formatted(table.tableName(), value(user), FILE);
            case NONE -> "curated/%s/%s".formatted(table.tableName(), FILE);
        };
    }

    /**
     * A user name as a partition value: as Hive and Spark escape them, every byte of its UTF-8
     * outside {@code [A-Za-z0-9._-]} as {@code %XX}, so any name is one safe path segment
     * ({@code filepath(1)} in Synapse gives it escaped, docs/curated-zone.md).
     */
    public static String value(String user) {
        StringBuilder b = new StringBuilder();
        for (byte x : user.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        String v = b.toString();
        // "." and ".." would climb out of the folder; a leading dot would hide the partition from readers
        return v.startsWith(".") ? "%2E" + v.substring(1) : v;
    }
}
