package dev.encore.intake;

import java.util.regex.Pattern;

/**
 * Whose data a file is: {@code <user>/…} below the source folder names the user; a file
 * directly in the source folder belongs to the configured default user. A folder whose name is
 * not a valid user id is passed on as it is, for the importer to refuse: quietly giving such a
 * file to the default user would mix two people's histories.
 */
public final class SourceUsers {
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

    private final String defaultUser;

    public SourceUsers(String defaultUser) {
        if (!isValid(defaultUser)) {
            throw new IllegalArgumentException("encore.default-user '" + defaultUser
                    + "' must be 1-100 letters, digits, '.', '_', '@' or '-'");
        }
        this.defaultUser = defaultUser;
    }

    /** A user id is 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit. */
    public static boolean isValid(String userId) {
        return userId != null && USER_ID.matcher(userId).matches();
    }

    /** @param relativePath the file's path below the source folder, with '/' or the platform separator */
    public String userOf(String relativePath) {
        String p = relativePath.replace('\\', '/');
        int slash = p.indexOf('/');
        if (slash <= 0) {
            return defaultUser;
        }
        return p.substring(0, slash);
    }

    /** The user of a lake path such as {@code exports/alice/my_spotify_data.zip}, below {@code dir}. */
    public String userBelow(String dir, String path) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return userOf(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
    }

    public String defaultUser() {
        return defaultUser;
    }
}
