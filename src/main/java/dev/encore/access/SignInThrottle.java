package dev.encore.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code maxFailures} failed sign-ins within {@code window}, for
 * one account name or from one address, further attempts are refused (429, Retry-After) until
 * the oldest of those failures is older than the window. Refused attempts are not even checked,
 * so a guesser gets {@code maxFailures} tries per window, per name and per address, however many
 * are sent at once ({@link #attempt} counts a try before it is checked).
 * <p>
 * Kept in memory: each replica counts on its own, and a restart forgets.
 */
public final class SignInThrottle {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    /**
     * Takes a try for this name and address: counted as a failure at once, before the (slow)
     * password check, so that simultaneous guesses cannot all pass before any is counted. Empty
     * when the try may go ahead; else how long to wait. A right password then calls
     * {@link #succeeded}, which takes the count back.
     */
    public synchronized Optional<Duration> attempt(String user, String address) {
        Optional<Duration> wait = wait(user, address);
        if (wait.isEmpty()) {
            failed(user, address);
        }
        return wait;
    }

    /** How long this name or address must wait before it may try again; empty when it may try now. */
    public Optional<Duration> wait(String user, String address) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : keys(user, address)) {
            Deque<Instant> times = failures.get(key);
            if (times == null) {
                continue;
            }
            synchronized (times) {
                prune(times, now);
                if (times.size() >= maxFailures) {
                    Duration left = Duration.between(now, times.peekFirst().plus(window));
                    longest = left.compareTo(longest) > 0 ? left : longest;
                }
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public void failed(String user, String address) {
        Instant now = clock.instant();
        for (String key : keys(user, address)) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                prune(times, now);
                times.addLast(now);
            }
        }
        if (failures.size() > 100_000) { // a flood of made-up names must not fill the heap
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
    }

    /**
     * A right password clears the name's failures, and takes back the address's count of this
     * try (not its earlier failures: one person may guess at many names).
     */
    public synchronized void succeeded(String user, String address) {
        failures.remove(nameKey(user));
        Deque<Instant> times = failures.get(keys(user, address)[1]);
        if (times != null) {
            synchronized (times) {
                times.pollLast();
            }
        }
    }

    private void prune(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
    }

    private static String[] keys(String user, String address) {
        return new String[] {nameKey(user), "address:" + (address == null ? "?" : address)};
    }

    private static String nameKey(String user) {
        return "user:" + (user == null ? "" : user.strip().toLowerCase(Locale.ROOT));
    }
}
