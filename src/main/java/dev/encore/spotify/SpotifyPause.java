package dev.encore.spotify;

import dev.encore.store.CatalogueStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The pause a 429 asked for, kept in {@code api_pause} so that every replica and every restart
 * honours it: one per app, whichever flow was told to wait.
 */
public final class SpotifyPause {
    /** The {@code api_pause} row and the name in logs. */
    public static final String API = "spotify-web-api";

    private final CatalogueStore store;
    private final Clock clock;

    public SpotifyPause(CatalogueStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** When calls may resume, while a pause is in force. */
    public Optional<Instant> activeUntil() throws SQLException {
        return store.pausedUntil(API).filter(clock.instant()::isBefore);
    }

    /** Why the pause in force was asked for ("HTTP 429 (quota exceeded), Retry-After 86400 s"), while it is. */
    public Optional<String> activeReason() throws SQLException {
        return activeUntil().isPresent() ? store.pauseReason(API) : Optional.empty();
    }

    public void pause(Instant resumeAt, String reason) throws SQLException {
        store.pause(API, resumeAt, reason);
    }

    public Instant now() {
        return clock.instant();
    }
}
