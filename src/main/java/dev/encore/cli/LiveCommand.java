package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.intake.FileReport;
import dev.encore.intake.Headers;
import dev.encore.store.ListeningGaps;
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
     * the tick's, whichever replica polled them; the loads are of the raw files this process wrote.
     */
    public record Summary(long tickId, Map<String, Integer> calls, int rawFiles, int plays, int fullPages, int deferredCalls,
            TickState tick, Instant pausedUntil, String pauseReason, Loads loads) {
        public int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** 0: every user was polled, or Spotify asked for a pause; 1: a user failed, or a raw file was rejected. */
        public int exitCode() {
            return tick.count("failed") > 0 || !tick.finished() || (loads != null && loads.rejected() > 0) ? 1 : 0;
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
            Summary s = summary(camel, tickId, load(camel));
            print(s);
            return s.exitCode();
        } finally {
            main.stop();
        }
    }

    /**
     * What loading the raw files of this tick gave: plays new to the warehouse (those an export
     * already held are not new), gaps opened, files a running replica had loaded already.
     * Null when the lake is ADLS: the raw intake of the running replicas loads those.
     */
    public record Loads(int files, int playsNew, int gapsOpened, int loadedElsewhere, int rejected) {
    }

    /** Loads the raw files this tick wrote, through the raw intake's own route and claim. */
    private static Loads load(CamelContext camel) throws Exception {
        if (Boolean.parseBoolean(camel.resolvePropertyPlaceholders("{{encore.adls.enabled}}"))) {
            return null;
        }
        LiveStats stats = camel.getRegistry().lookupByNameAndType("liveStats", LiveStats.class);
        ListeningGaps gaps = camel.getRegistry().lookupByNameAndType("listeningGaps", ListeningGaps.class);
        java.nio.file.Path lake = java.nio.file.Path.of(camel.resolvePropertyPlaceholders("{{encore.lake.dir}}"));
        int files = 0, playsNew = 0, gapsOpened = 0, elsewhere = 0, rejected = 0;
        for (String path : stats.written()) {
            Exchange loaded = camel.createProducerTemplate().request("direct:raw-load-local", ex -> {
                ex.getMessage().setBody(lake.resolve(path).toFile());
                ex.getMessage().setHeader(Headers.SOURCE_PATH, path);
            });
            if (loaded.getException() != null) {
                throw loaded.getException();
            }
            FileReport report = loaded.getMessage().getHeader(Headers.REPORT, FileReport.class);
            if (report == null) {
                elsewhere++; // claimed by a running Encore's raw intake first
                continue;
            }
            files++;
            rejected += report.outcome() == dev.encore.intake.Outcome.REJECTED ? 1 : 0;
            for (var run : report.runs()) {
                // the other kinds' rows are playlists, tops and saved tracks, not plays
                if (run.format() != null && run.format().endsWith("recently-played")) {
                    playsNew += run.counts().inserted();
                    gapsOpened += gaps.openedBy(run.runId());
                }
            }
        }
        return new Loads(files, playsNew, gapsOpened, elsewhere, rejected);
    }

    private static Summary summary(CamelContext camel, long tickId, Loads loads) throws Exception {
        LiveTicks ticks = camel.getRegistry().lookupByNameAndType("liveTicks", LiveTicks.class);
        LiveStats stats = camel.getRegistry().lookupByNameAndType("liveStats", LiveStats.class);
        SpotifyPause pause = camel.getRegistry().lookupByNameAndType("spotifyPause", SpotifyPause.class);
        TickState state = ticks.state(tickId);
        // a running replica may still be polling users of this tick it claimed
        Instant deadline = Instant.now().plus(OTHERS);
        while (!state.finished() && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            state = ticks.state(tickId);
        }
        return new Summary(tickId, stats.calls(), stats.rawFiles(), stats.plays(), stats.fullPages(), stats.deferred(), state,
                pause.activeUntil().orElse(null), pause.activeReason().orElse(null), loads);
    }

    private void print(Summary s) {
        s.calls().forEach((endpoint, n) -> out.printf("%-36s %6d call(s)%n", endpoint, n));
        out.printf("tick %d: %d call(s), %d raw file(s) written, %d play(s) in the answers%n", s.tickId(), s.totalCalls(),
                s.rawFiles(), s.plays());
        if (s.loads() == null) {
            out.println("the raw files are in ADLS: a running Encore's raw intake loads them into SQL");
        } else {
            Loads l = s.loads();
            out.printf("loaded: %d raw file(s), %d play(s) new to the warehouse, %d gap(s) opened%s%s%n", l.files(),
                    l.playsNew(), l.gapsOpened(), l.loadedElsewhere() == 0 ? "" : ", " + l.loadedElsewhere()
                            + " loaded by a running Encore already", l.rejected() == 0 ? "" : ", " + l.rejected() + " REJECTED");
        }
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
