package dev.encore.connect;

import dev.encore.spotify.SpotifyUnavailableException;
import java.sql.SQLException;
import java.util.List;

/**
 * The access tokens of the users who connected their Spotify account, for the hourly
 * extraction: refreshed from the stored (encrypted) refresh token when needed, never logged.
 */
public interface UserTokens {
    /** Users whose connection works: connected and not marked "needs to reconnect". */
    List<String> connectedUsers() throws SQLException;

    /**
     * The {@code Authorization} header value for a Web API call on the user's behalf, valid for
     * at least another minute.
     *
     * @throws ReconnectNeededException the refresh token is dead ({@code invalid_grant}): the user
     *         is now marked "needs to reconnect" and is skipped until they connect again
     * @throws SpotifyUnavailableException the accounts service could not be reached or failed
     */
    String bearer(String user) throws ReconnectNeededException, SpotifyUnavailableException, SQLException,
            InterruptedException;

    /** Forgets the user's cached access token (after a 401), so the next {@link #bearer} refreshes it. */
    void invalidate(String user);
}
