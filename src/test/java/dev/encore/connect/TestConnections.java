package dev.encore.connect;

import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * Connects a Spotify account for other tests (the hourly extraction's), through the real connect
 * flow over HTTP, as {@link ConnectFixture.Browser} walks it: {@code /connect}, the fake's
 * {@code /authorize}, the callback. The app must run with the fake as its Spotify
 * ({@code encore.spotify.client-id} = {@code FakeSpotify.DEFAULT_CLIENT_ID},
 * {@code encore.spotify.accounts-base-url} and {@code api-base-url} = {@code fake.baseUrl()}), a key
 * ({@code encore.secret-key}, or on H2 {@code encore.secret-key-file} in a temporary folder), and the
 * fake must know the redirect URI ({@code fake.registerRedirectUri("http://127.0.0.1:<port>/callback")})
 * and the account ({@code fake.addUser(id, name)}, {@code fake.signedInAs(id)}).
 */
public final class TestConnections {
    private TestConnections() {
    }

    /** Connects the fake's signed-in account to Encore user {@code user} of the app at {@code encoreBaseUrl}. */
    public static void connect(String encoreBaseUrl, String user) throws IOException, InterruptedException {
        HttpResponse<String> page = new ConnectFixture.Browser().follow(encoreBaseUrl + "/connect?user=" + user);
        if (page.statusCode() != 200 || !page.body().contains("id=\"connected\"")) {
            throw new IllegalStateException("Connecting " + user + " failed: HTTP " + page.statusCode() + "\n" + page.body());
        }
    }
}
