package dev.encore.monitoring;

import java.util.Map;

/**
 * Encore's own figures as JMX attributes ({@code dev.encore:type=Status}), for Hawtio, JConsole
 * and anything that reads JMX over Jolokia; the same figures as the Prometheus meters, from the
 * warehouse itself, so every replica reports the whole picture.
 */
public interface EncoreStatusMXBean {
    /** People with data in the warehouse. */
    long getUsers();

    /** JSON files (or ZIP entries) loaded, over the warehouse's life. */
    long getFilesLoaded();

    /** Files rejected, each with its reason in {@code import_run.error}. */
    long getFilesRejected();

    /** Streams the loads added. */
    long getRecordsLoaded();

    /** Single records refused inside loaded files. */
    long getRecordsRejected();

    /** People whose Spotify account is connected and working, for the hourly extraction. */
    long getConnectedUsers();

    /** Connected people Spotify stopped renewing (revoked, or six months since the consent). */
    long getUsersNeedingReconnect();

    /** Stretches of time in which recently-played overflowed and plays may be missing until an export fills them. */
    long getOpenGaps();

    /** Web API calls this process made, per endpoint. */
    Map<String, Integer> getSpotifyCalls();

    /** Seconds until Spotify may be called again (a 429's pause), 0 when it may be called now. */
    long getSpotifyPauseRemainingSeconds();

    /** Parquet files this process wrote into the lake's curated zone. */
    long getCuratedFilesWritten();

    /** Users whose curated files are still owed a rewrite (a lake outage keeps them here). */
    int getCuratedPendingUsers();

    /** Why the curated zone cannot be written, while it cannot; empty otherwise. */
    String getCuratedError();
}
