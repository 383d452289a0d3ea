package dev.encore.spotify;

/**
 * A caller of the Web API other than enrichment (the hourly extraction), carried by the exchange
 * property {@link #PROPERTY}: routes/spotify-errors.camel.yaml's failure policy
 * ({@link SpotifyFailures}) tells it what an answer meant instead of changing an enrichment run.
 * A 429 needs nothing from it: the pause is the app's, and the caller reads it.
 */
public interface SpotifyCaller {
    /** The exchange property holding the caller of the call under way. */
    String PROPERTY = "EncoreSpotifyCaller";

    /** After a 401: forget the token and give the {@code Authorization} value for the one retry. */
    String renewedAuthorization() throws Exception;

    /** A 4xx other than 401 and 429: the request was refused (status and Spotify's message). */
    void refused(int status, String message);

    /** Before a retry of a call that failed with a 5xx or a network error. */
    void retrying();

    /** 5xx or network errors after the bounded retries, a second 401, or no token: wait for the next tick. */
    void failed(String why);
}
