package dev.encore.spotify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long a 429 pauses Encore, from whatever Retry-After Spotify sends. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void secondsAreTakenAsTheyAre() {
        assertThat(SpotifyFailures.retryAfter("86400", NOW)).isEqualTo(Duration.ofDays(1));
        assertThat(SpotifyFailures.retryAfter(" 74214 ", NOW)).isEqualTo(Duration.ofSeconds(74214));
    }

    @Test
    void anHttpDateIsMeasuredFromEncoresClock() {
        assertThat(SpotifyFailures.retryAfter("Sat, 21 Nov 2026 14:00:00 GMT", NOW)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aMissingOrGarbledValueStillPausesAndNeverForGood() {
        assertThat(SpotifyFailures.retryAfter(null, NOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SpotifyFailures.retryAfter("soon", NOW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SpotifyFailures.retryAfter("0", NOW)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SpotifyFailures.retryAfter("99999999999999999", NOW)).isEqualTo(Duration.ofDays(7));
        assertThat(SpotifyFailures.retryAfter("Sat, 21 Nov 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ofSeconds(1));
    }
}
