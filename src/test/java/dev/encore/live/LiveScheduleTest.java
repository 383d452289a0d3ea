package dev.encore.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.spotify.FakeSpotifyListening;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hourly tick's own trigger: the {@code quartz:encore/live} route of
 * routes/live-extraction.camel.yaml on Quartz's clustered JDBC job store in PostgreSQL, as in
 * production, with {@code encore.live.cron} firing every second instead of hourly. Nothing opens
 * the tick but the schedule.
 */
class LiveScheduleTest {
    @TempDir
    Path lake;

    @Test
    @DisplayName("The live cron fires a tick by itself: scheduled_run records it, the connected user is polled, the raw file written")
    void theCronFiresATick() throws Exception {
        try (LiveFixture f = new LiveFixture(TestDatabases.create("postgresql"), lake)) {
            f.users.connect("ann", "spotify-ann");
            f.listening.plays("spotify-ann", 0, 3, Instant.now().minusSeconds(600));
            try (EncoreApp app = f.scheduledApp("* * * * * ?")) {
                await("a tick fired by the schedule").atMost(Duration.ofMinutes(1))
                        .until(() -> app.count("SELECT COUNT(*) FROM scheduled_run WHERE job_name = 'live'") > 0);
                await("its poll of ann").atMost(Duration.ofMinutes(1)).until(() -> app.count(
                        "SELECT COUNT(*) FROM live_poll WHERE user_id = 'ann' AND status = 'polled'") > 0);

                assertThat(app.count("SELECT COUNT(*) FROM qrtz_triggers WHERE trigger_group = 'encore' AND trigger_name = 'live'"))
                        .as("the trigger lives in the JDBC job store").isEqualTo(1);
                // the first tick's answer, byte for byte: ann's three plays
                assertThat(f.raw("recently-played", "ann")).first().satisfies(raw -> assertThat(LiveFixture.bytes(raw))
                        .isEqualTo(f.listening.answers("spotify-ann", "/v1/me/player/recently-played").get(0)));
                assertThat(new String(f.listening.answers("spotify-ann", "/v1/me/player/recently-played").get(0),
                        java.nio.charset.StandardCharsets.UTF_8)).contains(FakeSpotifyListening.id("t", 2));
                assertThat(app.count("SELECT COUNT(*) FROM scheduled_run WHERE job_name = 'live' AND instance_id IS NOT NULL"))
                        .isPositive();
            }
        }
    }
}
