package dev.encore.spotify;

import dev.encore.store.EntityKind;
import java.sql.SQLException;

/**
 * The state of one enrichment run, carried by the exchange property {@code EncoreRun}; the
 * routes' filters read it (routes/enrichment.camel.yaml). It knows whether Spotify may be called
 * now (no pause, no stand-down), and whether calls are batch calls or one ID each.
 */
public final class EnrichmentRun {
    /** The exchange property that carries the run through the routes. */
    public static final String PROPERTY = "EncoreRun";

    private final boolean enabled;
    private final SpotifyPause pause;
    private volatile boolean batch;
    private volatile boolean stoodDown;

    EnrichmentRun(boolean enabled, boolean batch, SpotifyPause pause) {
        this.enabled = enabled;
        this.batch = batch;
        this.pause = pause;
    }

    /** False without a Spotify client id: the run then does nothing. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Whether calls carry several IDs (batch endpoints) or one. */
    public boolean isBatch() {
        return batch;
    }

    /** True while Spotify may be called: no pause in force (of this replica or another) and no stand-down. */
    public boolean isCallable() throws SQLException {
        return enabled && !stoodDown && pause.activeUntil().isEmpty();
    }

    /** Whether a planned call may go: a batch call gathered before Spotify refused batch calls may not. */
    public boolean allows(SpotifyRequest request) throws SQLException {
        return isCallable() && (batch || !request.batch());
    }

    /** How many IDs one call of this kind carries now. */
    public int batchSize(EntityKind kind) {
        return batch ? kind.batchLimit() : 1;
    }

    /** True when a kind planned for batch calls has to be asked again, one ID per call, after a 403. */
    public boolean replanNeeded(int plannedBatchSize) {
        return plannedBatchSize > 1 && !batch && !stoodDown;
    }

    /** Spotify is failing: no more calls this run; the next run asks again. */
    void standDown() {
        stoodDown = true;
    }

    /** Spotify refused a batch endpoint (auto mode): one ID per call from now on. */
    void switchToSingleCalls() {
        batch = false;
    }
}
