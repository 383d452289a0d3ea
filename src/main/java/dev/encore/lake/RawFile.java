package dev.encore.lake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import dev.encore.intake.SourceUsers;
import java.util.regex.Pattern;

/**
 * Where one Web API answer goes in the lake's raw zone (docs/raw-zone.md):
 * {@code raw/spotify/<kind>/<user>/yyyy/MM/dd/HH/<fetched>[_<detail>].json}, all UTC.
 */
public record RawFile(RawKind kind, String user, Instant fetched, String detail) {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    /** The file name's instant; {@link RawZonePath} reads it back. */
    static final String FETCHED_PATTERN = "yyyyMMdd'T'HHmmss.SSS'Z'";
    private static final DateTimeFormatter FETCHED = DateTimeFormatter.ofPattern(FETCHED_PATTERN).withZone(ZoneOffset.UTC);
    /** A detail: a path segment that cannot climb out of its folder or name another. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    public RawFile {
        java.util.Objects.requireNonNull(kind, "kind");
        if (!SourceUsers.isValid(user)) {
            throw new IllegalArgumentException("A raw file's user must be an Encore user id, not '" + user + "'");
        }
        if (detail != null) {
            check("detail", detail);
        }
    }

    /** The path below the lake's root, with forward slashes. */
    public String path() {
        return "raw/spotify/" + kind.folder() + "/" + user + "/" + HOUR.format(fetched) + "/" + FETCHED.format(fetched)
                + (detail == null ? "" : "_" + detail) + ".json";
    }

    private static void check(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("A raw file's " + what + " must be a plain name, not '" + value + "'");
        }
    }
}
