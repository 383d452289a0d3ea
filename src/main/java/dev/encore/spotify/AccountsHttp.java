package dev.encore.spotify;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The HTTP client of the calls to Spotify's accounts service (client and user tokens), built on
 * first use: building one loads the TLS stack, a fifth of a second that a command which never
 * calls Spotify (an import) would otherwise pay at its start.
 */
public final class AccountsHttp {
    private AccountsHttp() {
    }

    public static HttpClient client() {
        return Holder.CLIENT;
    }

    private static final class Holder {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }
}
