package dev.encore.connect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets Encore keeps for a user (the refresh token, a pending PKCE verifier) with
 * AES-256-GCM: a fresh 12-byte IV per encryption and the user id as associated data, so a value
 * copied into another user's row does not decrypt. Stored as {@code v1:} and the base64 of IV,
 * ciphertext and tag; the prefix leaves room for another key or algorithm later.
 * <p>
 * The key is found on first use ({@link SecretKeys}), so an Encore that never connects a user
 * never needs one. Without a key, or with the wrong one, the messages say what to do and name
 * the user, never the value.
 */
public final class TokenCipher {
    private static final String VERSION = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<byte[]> keySource;
    private SecretKey key;

    /** @param keySource the 32 key bytes, or a {@link KeyUnavailableException} saying why there are none */
    public TokenCipher(Supplier<byte[]> keySource) {
        this.keySource = keySource;
    }

    /** Thrown where a secret cannot be encrypted or decrypted; the message is for the operator. */
    public static final class KeyUnavailableException extends IllegalStateException {
        public KeyUnavailableException(String message) {
            super(message);
        }
    }

    /** The key is there (or can be made): connecting a user can work. */
    public boolean available() {
        try {
            requireKey();
            return true;
        } catch (KeyUnavailableException e) {
            return false;
        }
    }

    /** @throws KeyUnavailableException there is no key: the message says what the operator must do */
    public void requireKey() {
        key();
    }

    public String encrypt(String userId, String secret) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e); // every JVM has it
        }
    }

    /**
     * @throws KeyUnavailableException no key, or not the key the value was encrypted with (the
     *         key changed), or the value belongs to another user or was altered
     */
    public String decrypt(String userId, String stored) {
        if (stored == null || !stored.startsWith(VERSION)) {
            throw new KeyUnavailableException("The stored Spotify secret of user '" + userId
                    + "' is not in a format this Encore knows (expected " + VERSION + "...); the user must connect again");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        } catch (IllegalArgumentException e) {
            all = new byte[0];
        }
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new KeyUnavailableException("The stored Spotify secret of user '" + userId
                    + "' is damaged; the user must connect again");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            // deliberately without the cause: nothing of the value, and no stack trace to puzzle over
            throw new KeyUnavailableException("The stored Spotify token of user '" + userId + "' cannot be decrypted "
                    + "with the current key: ENCORE_SECRET_KEY (or the key file) is not the key it was encrypted with, "
                    + "or the row was copied from another user. Put the old key back, or have the user connect again.");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private synchronized SecretKey key() {
        if (key == null) {
            byte[] bytes = keySource.get();
            if (bytes.length != 32) {
                throw new KeyUnavailableException("The secret key must be 32 bytes (AES-256), not " + bytes.length);
            }
            key = new SecretKeySpec(bytes, "AES");
        }
        return key;
    }
}
