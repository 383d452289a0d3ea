package dev.encore.lake;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The Web API answers the raw zone holds, by folder name (docs/raw-zone.md), and what their file names add. */
public enum RawKind {
    RECENTLY_PLAYED("recently-played", null),
    PLAYLISTS("playlists", "offset"),
    PLAYLIST_ITEMS("playlist-items", "playlist id>_<offset"),
    TOP_TRACKS("top-tracks", "time range"),
    TOP_ARTISTS("top-artists", "time range"),
    SAVED_TRACKS("saved-tracks", "offset");

    private final String folder;
    private final String detailName;

    RawKind(String folder, String detailName) {
        this.folder = folder;
        this.detailName = detailName;
    }

    public String folder() {
        return folder;
    }

    boolean hasDetail() {
        return detailName != null;
    }

    String detailName() {
        return detailName;
    }

    /** How {@code import_run.format} of every raw kind begins. */
    public static final String API_FORMAT_PREFIX = "spotify-api:";

    /**
     * SQL that holds for the runs whose counts are streams: all but the library pages (playlists,
     * tops, saved tracks), which count rows of their own tables.
     *
     * @param formatColumn the {@code import_run.format} column, as the query names it
     */
    public static String countsStreams(String formatColumn) {
        return "(" + formatColumn + " IS NULL OR " + formatColumn + " NOT LIKE '" + API_FORMAT_PREFIX + "%' OR "
                + formatColumn + " = '" + RECENTLY_PLAYED.format() + "')";
    }

    /** What {@code import_run.format} says of a file of this kind. */
    public String format() {
        return API_FORMAT_PREFIX + folder;
    }

    static RawKind fromFolder(String folder) {
        return Arrays.stream(values()).filter(k -> k.folder.equals(folder)).findFirst().orElse(null);
    }

    static String folders() {
        return Arrays.stream(values()).map(RawKind::folder).collect(Collectors.joining(", "));
    }
}
