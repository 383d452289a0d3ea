package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.live.LiveStats;
import dev.encore.live.LiveTicks;
import dev.encore.live.LiveTicks.TickState;
import dev.encore.spotify.SpotifyPause;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;

/**
 * {@code encore live}: one tick of the hourly extraction for every connected user
 * ({@code direct:live-tick}, the routes the schedule uses), then a summary ({@link Summary}).
 */
public final class LiveCommand {
    /** How long to wait for users of this tick that a running replica claimed meanwhile. */
    private static final Duration OTHERS = Duration.ofMinutes(15);

    private final CommandLine cmd;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, Object> beans;

    public LiveCommand(CommandLine cmd, PrintStream out, PrintStream err) {
        this(cmd, out, err, Map.of());
    }

    /** @param beans bound before Encore's configuration runs, which then uses them (an embedding program's {@code userTokens}) */
    public LiveCommand(CommandLine cmd, PrintStream out, PrintStream err, Map<String, Object> beans) {
        this.cmd = cmd;
        this.out = out;
        this.err = err;
        this.beans = beans;
    }

    /**
     * What one tick did. Calls, raw files and plays are this process's; the users' outcomes are
     * the tick's, whichever replica polled them. The raw intake's count of plays new to the
     * warehouse belongs here too, once it runs after the tick.
     */
    public record Summary(long tickId, Map<String, Integer> calls, int rawFiles, int plays, int fullPages, int deferredCalls,
            TickState tick, Instant pausedUntil, String pauseReason) {
        public int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** 0: every user was polled, or Spotify asked for a pause; 1: a user failed. */
        public int exitCode() {
            return tick.count("failed") > 0 || !tick.finished() ? 1 : 0;
        }
    }

    public int run() throws Exception {
        Main main = Encore.newOneShotMain(cmd);
        beans.forEach(main::bind);
        Encore.start(main);
        try {
            CamelContext camel = main.getCamelContext();
            Exchange result = camel.createProducerTemplate().request("direct:live-tick", ex -> { });
            if (result.getException() != null) {
                err.println("encore: the tick could not start: " + result.getException().getMessage());
                return 1;
            }
            long tickId = result.getMessage().getHeader("EncoreLiveTick", Long.class);
            Summary s = summary(camel, tickId);
            print(s);
            return s.exitCode();
        } finally {
            main.stop();
        }
    }

    private static Summary summary(CamelContext camel, long tickId) throws Exception {
        LiveTicks ticks = camel.getRegistry().lookupByNameAndType("liveTicks", LiveTicks.class);
        LiveStats stats = camel.getRegistry().lookupByNameAndType("liveStats", LiveStats.class);
        SpotifyPause pause = new SpotifyPause(
                camel.getRegistry().lookupByNameAndType("catalogueStore", dev.encore.store.CatalogueStore.class),
                java.time.Clock.systemUTC());
        TickState state = ticks.state(tickId);
        // a running replica may still be polling users of this tick it claimed
        Instant deadline = Instant.now().plus(OTHERS);
        while (!state.finished() && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            state = ticks.state(tickId);
        }
        return new Summary(tickId, stats.calls(), stats.rawFiles(), stats.plays(), stats.fullPages(), stats.deferred(), state,
                pause.activeUntil().orElse(null), pause.activeReason().orElse(null));
    }

    private void print(Summary s) {
        s.calls().forEach((endpoint, n) -> out.printf("%-36s %6d call(s)%n", endpoint, n));
        out.printf("tick %d: %d call(s), %d raw file(s) written, %d play(s) in the answers%n", s.tickId(), s.totalCalls(),
                s.rawFiles(), s.plays());
        if (s.fullPages() > 0) {
            out.printf("%d user(s) played 50 or more tracks since the last tick: older plays may be missing until an export "
                    + "fills the gap%n", s.fullPages());
        }
        TickState t = s.tick();
        out.printf("users: %d polled, %d need to reconnect, %d failed, %d paused%n", t.count("polled"), t.count("reconnect"),
                t.count("failed"), t.count("paused"));
        if (s.deferredCalls() > 0 || t.deferred() > 0) {
            out.printf("%d call(s) deferred to a later tick: %s%n", Math.max(s.deferredCalls(), t.deferred()), t.budgetNote());
        }
        if (s.pausedUntil() != null) {
            out.println("Spotify asked for a pause: no call before " + s.pausedUntil()
                    + (s.pauseReason() == null ? "" : " (" + s.pauseReason() + ")") + "; run again after that.");
        }
        if (!t.finished()) {
            out.printf("%d user(s) still being polled by another replica%n", t.count("claimed") + t.count("open"));
        }
    }
}
