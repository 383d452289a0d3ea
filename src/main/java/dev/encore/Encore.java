package dev.encore;

import dev.encore.cli.AccountCommand;
import dev.encore.cli.CommandLine;
import dev.encore.cli.EnrichCommand;
import dev.encore.cli.ExportCommand;
import dev.encore.cli.ImportCommand;
import dev.encore.cli.LiveCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.main.Main;

/** The command line: {@code serve} (the default), {@code import}, {@code enrich}, {@code live}, {@code export}, {@code account} and {@code --help}. */
public final class Encore {
    private Encore() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        CommandLine cmd;
        try {
            cmd = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("encore: " + e.getMessage());
            err.println("Run './encore --help' (or 'java -jar target/encore.jar --help') for usage.");
            return 2;
        }
        try {
            return run(cmd, out, err);
        } catch (Exception e) {
            StartupFailure failure = StartupFailure.in(e);
            if (failure == null) {
                throw e;
            }
            err.println("encore: " + failure.getMessage());
            // the trace, for whoever asks with -Dencore.log.level=DEBUG (a logger made earlier would
            // fix the log level before the commands choose theirs)
            org.slf4j.LoggerFactory.getLogger(Encore.class).debug("Encore could not start", e);
            return StartupFailure.EXIT_CODE;
        }
    }

    /** Starts a one-shot command's Camel: whatever keeps it from starting becomes a {@link StartupFailure}. */
    public static void start(Main main) {
        try {
            main.start();
        } catch (Exception e) {
            throw StartupFailure.of(e);
        }
    }

    private static int run(CommandLine cmd, PrintStream out, PrintStream err) throws Exception {
        return switch (cmd.command()) {
            case "help" -> {
                out.print(CommandLine.usage());
                yield 0;
            }
            case "enrich" -> {
                System.setProperty("encore.log.level", System.getProperty("encore.log.level", "WARN"));
                yield new EnrichCommand(cmd, out, err).run();
            }
            case "live" -> {
                System.setProperty("encore.log.level", System.getProperty("encore.log.level", "WARN"));
                yield new LiveCommand(cmd, out, err).run();
            }
            case "export" -> {
                System.setProperty("encore.log.level", System.getProperty("encore.log.level", "WARN"));
                yield new ExportCommand(cmd, out, err).run();
            }
            case "account" -> {
                System.setProperty("encore.log.level", System.getProperty("encore.log.level", "WARN"));
                yield new AccountCommand(cmd, System.console(), System.in, out, err).run();
            }
            case "import" -> {
                // the per-file report is the output; Camel's start-up chatter would drown it
                System.setProperty("encore.log.level", System.getProperty("encore.log.level", "WARN"));
                yield new ImportCommand(cmd, out, err).run();
            }
            default -> {
                Main main = newMain(cmd);
                try {
                    main.run();
                } catch (Exception e) {
                    throw StartupFailure.of(e); // run() returns only when stopped: what it throws kept it from starting
                }
                yield main.getExitCode();
            }
        };
    }

    /**
     * A Camel Main with Encore's beans, configuration and routes. Files in the working folder
     * ({@code application.properties}, {@code routes/}) win over the copies packaged in the jar,
     * so an operator edits them without rebuilding.
     */
    public static Main newMain(CommandLine cmd) {
        Main main = new Main();
        main.configure().addConfiguration(EncoreConfiguration.class);
        // the first location that defines a key wins, so the profile goes before the base file
        List<String> locations = new ArrayList<>();
        String profile = cmd.option("--profile") != null ? cmd.option("--profile") : System.getenv("ENCORE_PROFILE");
        if (profile != null && !profile.isBlank()) {
            locations.add(location("application-" + profile + ".properties"));
        }
        locations.add(location("application.properties"));
        main.setPropertyPlaceholderLocations(String.join(",", locations));
        main.addInitialProperty("camel.main.routes-include-pattern", routes("*.camel.yaml"));
        if (cmd.option("--db") != null) {
            main.addOverrideProperty("encore.db.url", cmd.option("--db"));
        }
        if (cmd.option("--port") != null) {
            main.addOverrideProperty("camel.server.port", cmd.option("--port"));
        }
        if (cmd.option("--management-port") != null) {
            main.addOverrideProperty("camel.management.port", cmd.option("--management-port"));
        }
        return main;
    }

    /** For commands that do one thing and exit: no polling, no schedules, no HTTP servers. */
    public static Main newOneShotMain(CommandLine cmd) {
        Main main = newMain(cmd);
        main.addOverrideProperty("encore.local.enabled", "false");
        main.addOverrideProperty("encore.adls.enabled", "false");
        main.addOverrideProperty("encore.raw.enabled", "false");
        main.addOverrideProperty("encore.raw.local-enabled", "false");
        main.addOverrideProperty("encore.enrich.scheduled", "false");
        main.addOverrideProperty("encore.live.enabled", "false");
        // the server's next pass writes the curated zone (every user is checked at its start)
        main.addOverrideProperty("encore.curated.enabled", "false");
        main.addOverrideProperty("encore.insights.warm-after-import", "false"); // nobody asks before it exits
        main.addOverrideProperty("camel.management.enabled", "false");
        // nobody watches a command that ends in a second: no MBeans, no Camel metrics, and HTTP
        // producers started at their first call, not at the command's start
        main.addOverrideProperty("camel.main.jmx-enabled", "false");
        main.addOverrideProperty("camel.metrics.enabled", "false");
        main.addOverrideProperty("camel.component.http.lazy-start-producer", "true");
        main.addOverrideProperty("camel.server.enabled", "false");
        // the REST API (and its error configuration), the dashboard, the connect flow and sign-in need the HTTP server
        main.addOverrideProperty("camel.main.routes-exclude-pattern", ONE_SHOT_EXCLUDED);
        // nor the routes a schedule feeds (enrichment's, the hourly extraction's): each command calls its direct: route
        main.addOverrideProperty("camel.main.route-filter-exclude-pattern", "quartz:*");
        return main;
    }

    private static final String ONE_SHOT_EXCLUDED = "**/api.camel.yaml,**/api-errors.camel.yaml,**/dashboard.camel.yaml,"
            + "**/connect.camel.yaml,**/access.camel.yaml";

    /**
     * For {@code encore import}: a one-shot Camel with only the routes an import runs, the intake's
     * ({@code import-file}) and its error handling. Without the others' endpoints there is no
     * scheduler, HTTP client, lake client or enrichment queue to build: about half a second of
     * start-up and stop (docs/benchmarks.md). The one-shot main already runs no enrichment, so nothing changes.
     */
    public static Main newImportMain(CommandLine cmd) {
        Main main = newOneShotMain(cmd);
        main.addOverrideProperty("camel.main.routes-include-pattern", routes("import-file.camel.yaml") + "," + routes("error-handling.camel.yaml"));
        // with those routes left out nothing refers to the lake's client: none is built unless the lake is on
        main.addOverrideProperty("encore.adls.placeholder-client", "false");
        return main;
    }

    /** Route files from the working folder's routes/ when there is one, else the copies in the jar. */
    private static String routes(String files) {
        return (Files.isDirectory(Path.of("routes")) ? "file:routes/" : "classpath:routes/") + files;
    }

    private static String location(String name) {
        return (Files.isRegularFile(Path.of(name)) ? "file:" : "classpath:") + name + ";optional=true";
    }
}
