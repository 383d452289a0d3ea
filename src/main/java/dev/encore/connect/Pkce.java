package dev.encore.connect;

import dev.encore.access.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The PKCE verifier and its challenge (RFC 7636); states and session ids are {@link Secrets#random},
 * and what the database keeps of them {@link Secrets#sha256}.
 */
final class Pkce {
    private Pkce() {
    }

    /**
     * A code verifier: 64 random bytes in base64url without padding, 86 characters of the unreserved
     * set {@code [A-Za-z0-9-._~]} (RFC 7636 4.1 asks for 43 to 128).
     */
    static String verifier() {
        return Secrets.random(64);
    }

    /** The S256 challenge: base64url without padding of the verifier's SHA-256 (RFC 7636 4.2). */
    static String challenge(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
