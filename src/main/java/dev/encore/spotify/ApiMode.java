package dev.encore.spotify;

/**
 * Whether Encore may use the Web API's batch endpoints. Apps created in Development Mode since
 * February 2026 get 403 from them and must ask one ID per call.
 */
public enum ApiMode {
    BATCH, SINGLE,
    /** Batch until Spotify answers a batch endpoint with 403, then single for good (remembered in the database). */
    AUTO
}
