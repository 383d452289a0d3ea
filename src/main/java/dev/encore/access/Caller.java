package dev.encore.access;

/**
 * Who sent a request, as the access gate established it. {@code user} is the Encore user whose
 * data this caller sees, or null for the open local mode, where the one person at the machine
 * sees everything. {@code handle} names the credential without being it: the SHA-256 of the
 * session's cookie, or the API token's id.
 */
public record Caller(String user, boolean admin, How how, String handle) {
    /** The message header the HTTP server puts the caller in (never copied from the request). */
    public static final String HEADER = "EncoreCaller";

    /** How the caller proved who they are. */
    public enum How {
        /** Sign-in is off: both servers listen on loopback only. */
        OPEN,
        /** The browser's session cookie. */
        SESSION,
        /** An API token (Authorization: Bearer). */
        TOKEN
    }

    public static final Caller OPEN = new Caller(null, true, How.OPEN, null);

    /** Whether this caller may see the data of {@code other}. */
    public boolean maySee(String other) {
        return admin || (user != null && user.equals(other));
    }
}
