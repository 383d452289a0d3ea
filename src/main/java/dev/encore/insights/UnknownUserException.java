package dev.encore.insights;

/** No such user (HTTP 404). */
public class UnknownUserException extends RuntimeException {
    public UnknownUserException(String user) {
        super("No user '" + user + "': import an export for this user first");
    }
}
