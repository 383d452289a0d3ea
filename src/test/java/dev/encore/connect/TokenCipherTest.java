package dev.encore.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCipherTest {
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    private static final String SECRET = "AQDrefresh-token-of-erin";

    private final TokenCipher cipher = new TokenCipher(SecretKeys.source(KEY, Path.of("unused"), false));

    @Test
    @DisplayName("AES-GCM round trip; every encryption has its own IV, so equal secrets never look equal")
    void roundTripWithAFreshIvEachTime() {
        String a = cipher.encrypt("erin", SECRET);
        String b = cipher.encrypt("erin", SECRET);
        assertThat(a).startsWith("v1:").doesNotContain(SECRET).isNotEqualTo(b);
        // 12 bytes IV + the secret + 16 bytes tag
        assertThat(Base64.getDecoder().decode(a.substring(3))).hasSize(12 + SECRET.length() + 16);
        assertThat(cipher.decrypt("erin", a)).isEqualTo(SECRET);
        assertThat(cipher.decrypt("erin", b)).isEqualTo(SECRET);
    }

    @Test
    @DisplayName("A ciphertext copied to another user's row does not decrypt: the user id is the associated data")
    void anotherUsersRowDoesNotDecrypt() {
        String erins = cipher.encrypt("erin", SECRET);
        assertThatThrownBy(() -> cipher.decrypt("otto", erins)).isInstanceOf(TokenCipher.KeyUnavailableException.class)
                .hasMessageContaining("user 'otto'").hasMessageNotContaining(erins.substring(3)).hasNoCause();
    }

    @Test
    @DisplayName("Another key, an altered value or no v1 prefix: clear messages, never the value")
    void wrongKeyOrDamage() {
        String stored = cipher.encrypt("erin", SECRET);
        TokenCipher other = new TokenCipher(SecretKeys.source(OTHER_KEY, Path.of("unused"), false));
        assertThatThrownBy(() -> other.decrypt("erin", stored)).hasMessageContaining("cannot be decrypted with the current key")
                .hasMessageContaining("ENCORE_SECRET_KEY").hasMessageNotContaining(stored.substring(3)).hasNoCause();
        char[] altered = stored.toCharArray();
        altered[10] = altered[10] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> cipher.decrypt("erin", new String(altered))).hasMessageContaining("cannot be decrypted");
        assertThatThrownBy(() -> cipher.decrypt("erin", "plain-token")).hasMessageContaining("not in a format")
                .hasMessageNotContaining("plain-token");
        assertThatThrownBy(() -> cipher.decrypt("erin", "v1:AAAA")).hasMessageContaining("damaged");
    }

    @Test
    @DisplayName("ENCORE_SECRET_KEY must be the base64 of 32 bytes; on a shared database without it, connecting is refused")
    void keySettings(@TempDir Path dir) {
        assertThat(new TokenCipher(SecretKeys.source("not base64!", dir.resolve("k"), true)).available()).isFalse();
        assertThatThrownBy(() -> new TokenCipher(SecretKeys.source(Base64.getEncoder().encodeToString(new byte[16]),
                dir.resolve("k"), true)).encrypt("erin", "x")).hasMessageContaining("32 bytes (AES-256), not 16 bytes");
        TokenCipher shared = new TokenCipher(SecretKeys.source("", dir.resolve("k"), false));
        assertThat(shared.available()).isFalse();
        assertThatThrownBy(() -> shared.encrypt("erin", "x")).hasMessageContaining("set ENCORE_SECRET_KEY");
        assertThat(Files.exists(dir.resolve("k"))).isFalse();
        // a configured key wins over the key file, which is then never made
        assertThat(new TokenCipher(SecretKeys.source(KEY, dir.resolve("k"), true)).available()).isTrue();
        assertThat(Files.exists(dir.resolve("k"))).isFalse();
    }

    @Test
    @DisplayName("The key file: made once (600), then read; two ciphers over it agree")
    void theKeyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("encore.key");
        TokenCipher first = new TokenCipher(SecretKeys.source("", file, true));
        String stored = first.encrypt("erin", SECRET);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(new TokenCipher(SecretKeys.source("", file, true)).decrypt("erin", stored)).isEqualTo(SECRET);
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> new TokenCipher(SecretKeys.source("", file, true)).encrypt("erin", "x"))
                .hasMessageContaining("the key file " + file);
    }
}
