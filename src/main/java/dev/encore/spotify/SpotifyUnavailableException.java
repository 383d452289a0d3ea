package dev.encore.spotify;

/**
 * Spotify cannot be used for the rest of this run: the accounts service refused or failed the
 * token request, or the Web API answered something that is not what it documents. Not retried;
 * the IDs are left for the next run, and nothing is recorded as unresolvable.
 */
public final class SpotifyUnavailableException extends Exception {
    public SpotifyUnavailableException(String message) {
        super(message);
    }

    public SpotifyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
