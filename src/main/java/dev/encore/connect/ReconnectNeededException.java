package dev.encore.connect;

/**
 * Spotify will not renew the user's access any more ({@code invalid_grant}: the consent was
 * revoked, or the refresh token reached its six-month expiry). Final: only the user can fix it,
 * by connecting again.
 */
public final class ReconnectNeededException extends Exception {
    private final String user;

    public ReconnectNeededException(String user, String reason) {
        super(user + " needs to reconnect Spotify: " + reason);
        this.user = user;
    }

    public String user() {
        return user;
    }
}
