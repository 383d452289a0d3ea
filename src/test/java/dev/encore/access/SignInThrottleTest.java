package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Failed sign-ins slow the next ones, per name and per address, for a window. */
class SignInThrottleTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-06-01T10:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(3, Duration.ofMinutes(15), clock);

    @Test
    void afterTheAllowedFailuresANameWaitsUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.wait("ann", "10.0.0." + i)).isEmpty();
            throttle.failed("ann", "10.0.0." + i);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.wait("ann", "10.0.0.9")).contains(Duration.ofMinutes(12));
        assertThat(throttle.wait("ANN", "10.0.0.9")).as("names are compared without case").isPresent();
        assertThat(throttle.wait("bob", "10.0.0.9")).isEmpty();

        clock.advance(Duration.ofMinutes(12));
        assertThat(throttle.wait("ann", "10.0.0.9")).isEmpty();
    }

    @Test
    void oneAddressGuessingAtManyNamesWaitsToo() {
        for (String name : new String[] {"a1", "a2", "a3"}) {
            throttle.failed(name, "203.0.113.7");
        }
        assertThat(throttle.wait("a4", "203.0.113.7")).isPresent();
        assertThat(throttle.wait("a4", "203.0.113.8")).isEmpty();
    }

    @Test
    void theRightPasswordClearsTheNamesFailuresAndTakesBackItsOwnTry() {
        throttle.failed("ann", "10.0.0.1");
        throttle.failed("ann", "10.0.0.2");
        assertThat(throttle.attempt("ann", "10.0.0.3")).isEmpty();
        throttle.succeeded("ann", "10.0.0.3");
        throttle.failed("ann", "10.0.0.4");
        assertThat(throttle.wait("ann", "10.0.0.5")).as("only the failure after the right password counts").isEmpty();

        // many right passwords from one address (a household behind one router) never add up
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.attempt("user" + i, "198.51.100.1")).isEmpty();
            throttle.succeeded("user" + i, "198.51.100.1");
        }
        assertThat(throttle.wait("someone", "198.51.100.1")).isEmpty();
    }

    @Test
    void simultaneousGuessesAreCountedBeforeAnyIsChecked() {
        // three tries taken at once, none of them answered yet: the fourth must wait
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.attempt("ann", "10.0.1." + i)).isEmpty();
        }
        assertThat(throttle.attempt("ann", "10.0.1.9")).isPresent();
    }
}
