package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.spotify.EnrichmentStats;
import dev.encore.spotify.EnrichmentStats.Summary;
import java.io.PrintStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.Main;

/** {@code encore enrich}: one run of the enrichment route ({@code direct:enrich}), then a summary. */
public final class EnrichCommand {
    private final CommandLine cmd;
    private final PrintStream out;
    private final PrintStream err;

    public EnrichCommand(CommandLine cmd, PrintStream out, PrintStream err) {
        this.cmd = cmd;
        this.out = out;
        this.err = err;
    }

    public int run() throws Exception {
        Main main = Encore.newOneShotMain(cmd);
        Encore.start(main);
        try {
            CamelContext camel = main.getCamelContext();
            Exchange result = camel.createProducerTemplate().request("direct:enrich", ex -> { });
            EnrichmentStats enrichment = camel.getRegistry().lookupByNameAndType("enrichmentStats", EnrichmentStats.class);
            Summary s = enrichment.summary();
            if (!s.enabled()) {
                err.println("encore: enrichment is off: set ENCORE_SPOTIFY_CLIENT_ID and ENCORE_SPOTIFY_CLIENT_SECRET");
                return 1;
            }
            s.calls().forEach((endpoint, n) -> out.printf("%-28s %6d call(s)%n", endpoint, n));
            out.printf("%d call(s), %d object(s) described, %d unresolvable, %d token request(s)%n",
                    s.totalCalls(), s.described(), s.unresolved(), s.tokens());
            if (s.namesMatched() + s.namesUnmatched() > 0) {
                out.printf("name-only tracks: %d found by search, %d without an exact match%n",
                        s.namesMatched(), s.namesUnmatched());
            }
            if (s.pausedUntil() != null) {
                out.println("Spotify asked for a pause: no call before " + s.pausedUntil() + "; run again after that.");
            }
            if (result.getException() != null) {
                err.println("encore: enrichment failed: " + result.getException().getMessage());
                return 1;
            }
            if (s.failedCalls() > 0) {
                // a pause is Spotify's answer, not a failure; a call that failed after its retries is
                err.println("encore: " + s.failedCalls() + " call(s) failed after their retries (see the log); "
                        + "what they were to describe waits for the next run");
                return 1;
            }
            return 0;
        } finally {
            main.stop();
        }
    }
}
