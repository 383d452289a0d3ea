package dev.encore.lake;

import dev.encore.intake.SourceUsers;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a raw file sits says what it is (docs/raw-zone.md):
 * {@code raw/spotify/<kind>/<user>/yyyy/MM/dd/HH/<fetched>[_<detail>].json}, anywhere below the
 * lake's root.
 *
 * @param kind      the answer's endpoint, see {@link RawKind}
 * @param fetchedAt when Spotify answered (the file name), UTC
 * @param detail    the offset, time range or {@code <playlist id>_<offset>}; null when the kind has none
 */
public record RawZonePath(String path, RawKind kind, String user, Instant fetchedAt, String detail) {
    private static final Pattern LAYOUT = Pattern.compile(
            "(?:^|.*/)raw/spotify/([^/]+)/([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/(\\d{8}T\\d{6}\\.\\d{3}Z)(?:_([^/]+))?\\.json");
    private static final DateTimeFormatter FETCHED = DateTimeFormatter.ofPattern(RawFile.FETCHED_PATTERN);

    /** The path's parts, or what is wrong with it. */
    public static RawZonePath parse(String path) throws RawFileException {
        String p = path.replace('\\', '/');
        Matcher m = LAYOUT.matcher(p);
        if (!m.matches()) {
            throw new RawFileException(path + " is not named as the raw zone names files "
                    + "(raw/spotify/<kind>/<user>/yyyy/MM/dd/HH/<yyyyMMdd'T'HHmmss.SSS'Z'>[_<detail>].json)");
        }
        RawKind kind = RawKind.fromFolder(m.group(1));
        if (kind == null) {
            throw new RawFileException(path + " is in the folder '" + m.group(1) + "', which is no raw kind ("
                    + RawKind.folders() + ")");
        }
        String user = m.group(2);
        if (!SourceUsers.isValid(user)) {
            throw new RawFileException(path + " names the user '" + user + "', which is not a valid user name");
        }
        Instant fetched;
        try {
            fetched = LocalDateTime.parse(m.group(7), FETCHED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new RawFileException(path + ": '" + m.group(7) + "' is not a valid fetch time");
        }
        String detail = m.group(8);
        if (kind.hasDetail() && detail == null) {
            throw new RawFileException(path + ": a " + kind.folder() + " file's name must end in _<" + kind.detailName() + ">");
        }
        return new RawZonePath(path, kind, user, fetched, detail);
    }

    /** The claim key of a raw file: its path (the raw zone never rewrites a file). */
    public static String claimKey(String path) {
        return "raw:" + path;
    }

    /** The {@code yyyy/MM/dd} folder of a path below {@code raw/spotify/<kind>/<user>/}, or null when it has none yet. */
    static java.time.LocalDate dayOf(String path) {
        Matcher m = Pattern.compile("(?:^|.*/)raw/spotify/[^/]+/[^/]+/(\\d{4})/(\\d{2})/(\\d{2})(?:/.*)?").matcher(path.replace('\\', '/'));
        if (!m.matches()) {
            return null;
        }
        try {
            return java.time.LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
