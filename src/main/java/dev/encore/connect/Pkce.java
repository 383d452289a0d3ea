package dev.encore.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** The random values of an authorization: the PKCE verifier and its challenge (RFC 7636), state, session ids. */
final class Pkce {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Pkce() {
    }

    /**
     * A code verifier: 64 random bytes in base64url without padding, 86 characters of the unreserved
     * set {@code [A-Za-z0-9-._~]} (RFC 7636 4.1 asks for 43 to 128).
     */
    static String verifier() {
        return random(64);
    }

    /** The S256 challenge: base64url without padding of the verifier's SHA-256 (RFC 7636 4.2). */
    static String challenge(String verifier) {
        return URL.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code bytes} random bytes, base64url without padding. */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return URL.encodeToString(b);
    }

    /** What the database keeps of a state or a session cookie: its SHA-256, in hex. */
    static String hash(String value) {
        return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
