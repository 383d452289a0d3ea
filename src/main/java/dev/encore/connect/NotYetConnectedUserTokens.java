package dev.encore.connect;

import java.util.List;

/**
 * Stands in for the connected accounts until connecting Spotify (issue 9, "Connect") is wired in
 * as the bean {@code userTokens}: it refuses every use, loudly, so that the hourly extraction
 * can never look as if it ran with nobody connected.
 */
public final class NotYetConnectedUserTokens implements UserTokens {
    private static final String WHY = "No Spotify connections: the bean 'userTokens' is still "
            + "NotYetConnectedUserTokens; bind the connected accounts (dev.encore.connect) in EncoreConfiguration";

    @Override
    public List<String> connectedUsers() {
        throw new IllegalStateException(WHY);
    }

    @Override
    public String bearer(String user) {
        throw new IllegalStateException(WHY);
    }

    @Override
    public void invalidate(String user) {
        throw new IllegalStateException(WHY);
    }
}
