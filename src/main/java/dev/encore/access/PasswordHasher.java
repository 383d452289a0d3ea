package dev.encore.access;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Passwords as slow salted hashes: PBKDF2-HMAC-SHA256, in the JDK (no dependency), stored as
 * {@code pbkdf2-sha256$iterations$salt$hash}. The iteration count travels with each hash, so
 * raising {@code encore.auth.password-iterations} (default 600,000, OWASP's figure for this
 * algorithm) applies to new passwords and old ones still verify.
 */
public final class PasswordHasher {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024; // a megabyte-long password would cost the server, not the guesser

    private final int iterations;

    public PasswordHasher(int iterations) {
        if (iterations < 1000) {
            throw new IllegalStateException("encore.auth.password-iterations must be at least 1000, not " + iterations);
        }
        this.iterations = iterations;
    }

    /** Why this password cannot be used, or null when it can. */
    public static String weakness(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "a password may have at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} is the one {@code stored} was made from; false for anything malformed. */
    public boolean matches(String password, String stored) {
        if (password == null || stored == null || password.length() > MAX_LENGTH) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] expected = b64.decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, b64.decode(parts[2]), Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Costs as much as a real check, for names that have no account: no answer is faster for them. */
    public void wasteTime(String password) {
        derive(password == null ? "" : password, new byte[16], iterations);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
