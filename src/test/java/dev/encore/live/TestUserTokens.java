package dev.encore.live;

import dev.encore.connect.ReconnectNeededException;
import dev.encore.connect.UserTokens;
import dev.encore.spotify.FakeSpotifyListening;
import dev.encore.spotify.SpotifyUnavailableException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The connected users of the extraction's tests, in the one place they are made: each Encore user
 * has a Spotify user and a current access token, which {@link #userOfToken} turns back into the
 * Spotify user for the fake Web API (FakeSpotifyListening). A refresh (the first {@link #bearer},
 * or one after {@link #invalidate}) issues a new token. Stands in for dev.encore.connect's real
 * connections; once merged, the tests can take those and FakeSpotify's userOfToken instead.
 */
public final class TestUserTokens implements UserTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> spotifyUsers = new ConcurrentHashMap<>();
    private final Map<String, String> current = new ConcurrentHashMap<>();
    private final Map<String, String> valid = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> needReconnect = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> refreshes = new ConcurrentHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final Set<String> accountsDown = ConcurrentHashMap.newKeySet();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();

    /** Connects Encore user {@code user} as Spotify user {@code spotifyUser}. */
    public TestUserTokens connect(String user, String spotifyUser) {
        spotifyUsers.put(user, spotifyUser);
        return this;
    }

    /** Users {@code prefix0 .. prefix(n-1)}, each its own Spotify user of the same name. */
    public TestUserTokens connectMany(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            connect(prefix + i, prefix + i);
        }
        return this;
    }

    @Override
    public List<String> connectedUsers() {
        return spotifyUsers.keySet().stream().filter(u -> !needReconnect.contains(u)).sorted().toList();
    }

    @Override
    public String bearer(String user) throws ReconnectNeededException, SpotifyUnavailableException {
        if (broken.contains(user)) {
            throw new IllegalStateException("the stored refresh token of " + user + " cannot be decrypted");
        }
        String cached = current.get(user);
        if (cached != null) {
            return "Bearer " + cached;
        }
        // a refresh
        if (accountsDown.contains(user)) {
            throw new SpotifyUnavailableException("The Spotify accounts service answered 503");
        }
        if (revoked.contains(user)) {
            needReconnect.add(user);
            throw new ReconnectNeededException(user, "invalid_grant (Refresh token revoked)");
        }
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String token = "BQ-user-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        valid.put(token, spotifyUsers.get(user));
        issued.add(token);
        current.put(user, token);
        refreshes.computeIfAbsent(user, k -> new AtomicInteger()).incrementAndGet();
        return "Bearer " + token;
    }

    @Override
    public void invalidate(String user) {
        current.remove(user);
    }

    /** Spotify stops accepting the user's current token (it answers 401) while Encore still holds it. */
    public void expireToken(String user) {
        String token = current.get(user);
        if (token != null) {
            valid.remove(token);
        }
    }

    /** The user revoked Encore's access: the next refresh is an invalid_grant (a cached access token still goes out). */
    public void revoke(String user) {
        revoked.add(user);
    }

    /** The accounts service fails the user's refreshes (SpotifyUnavailableException); a cached token still serves. */
    public void accountsDown(String user) {
        accountsDown.add(user);
    }

    /** The user's token cannot be had for a reason of Encore's own (an unexpected exception). */
    public void broken(String user) {
        broken.add(user);
    }

    /** Whether the user is marked "needs to reconnect" (as the real connections mark them). */
    public boolean needsReconnect(String user) {
        return needReconnect.contains(user);
    }

    /** How many tokens were issued for the user (refreshes, the first one included). */
    public int refreshes(String user) {
        AtomicInteger n = refreshes.get(user);
        return n == null ? 0 : n.get();
    }

    /** Every access token issued so far, valid or not (to check that none leaks). */
    public Set<String> issuedTokens() {
        return Set.copyOf(issued);
    }

    /** The fake Web API's user endpoints, accepting the tokens issued here (mount it on a FakeSpotify). */
    public FakeSpotifyListening listening() {
        return new FakeSpotifyListening(userOfToken());
    }

    /** For FakeSpotifyListening: the Spotify user of a valid token. */
    public Function<String, Optional<String>> userOfToken() {
        return token -> Optional.ofNullable(valid.get(token));
    }
}
