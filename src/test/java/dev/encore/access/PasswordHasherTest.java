package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Passwords as slow salted hashes that carry their own cost. */
class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void aHashOpensForItsPasswordOnly() {
        String hash = hasher.hash("correct horse");
        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");
        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsE", hash)).isFalse();
        assertThat(hasher.matches("", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(hasher.hash("correct horse")).isNotEqualTo(hasher.hash("correct horse"));
    }

    @Test
    void anOlderCostStillVerifiesAfterItWasRaised() {
        String old = hasher.hash("correct horse");
        assertThat(new PasswordHasher(5000).matches("correct horse", old)).isTrue();
        assertThat(new PasswordHasher(5000).hash("x".repeat(8))).startsWith("pbkdf2-sha256$5000$");
    }

    @Test
    void somethingThatIsNoHashOpensNothing() {
        assertThat(hasher.matches("a", "a")).isFalse();
        assertThat(hasher.matches("a", "pbkdf2-sha256$x$y$z")).isFalse();
        assertThat(hasher.matches("a", null)).isFalse();
    }

    @Test
    void shortAndEndlessPasswordsAreRefusedWithAReason() {
        assertThat(PasswordHasher.weakness("seven77")).contains("at least 8");
        assertThat(PasswordHasher.weakness("x".repeat(1025))).contains("at most 1024");
        assertThat(PasswordHasher.weakness("eight888")).isNull();
    }
}
