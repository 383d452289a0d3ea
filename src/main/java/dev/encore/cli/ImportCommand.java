package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.export.PrintableNames;
import dev.encore.intake.FileReport;
import dev.encore.intake.Headers;
import dev.encore.intake.SourceUsers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * {@code encore import PATH...}: sends each file through the same intake route the server
 * uses ({@code direct:import-file}), with the sources switched off, and prints the report.
 */
public final class ImportCommand {
    private final CommandLine cmd;
    private final PrintStream out;
    private final PrintStream err;

    public ImportCommand(CommandLine cmd, PrintStream out, PrintStream err) {
        this.cmd = cmd;
        this.out = out;
        this.err = err;
    }

    public int run() throws Exception {
        List<Path> files;
        try {
            if (cmd.option("--user") != null && !SourceUsers.isValid(cmd.option("--user"))) {
                throw new IllegalArgumentException("--user '" + cmd.option("--user")
                        + "' must be 1-100 letters, digits, '.', '_', '@' or '-'");
            }
            files = expand(cmd.operands());
        } catch (IllegalArgumentException e) {
            err.println("encore: " + e.getMessage());
            return 2;
        }
        Main main = Encore.newImportMain(cmd);
        Encore.start(main);
        try {
            CamelContext camel = main.getCamelContext();
            String user = cmd.option("--user") != null ? cmd.option("--user")
                    : camel.resolvePropertyPlaceholders("{{encore.default-user}}");
            ProducerTemplate template = camel.createProducerTemplate();
            int loaded = 0, skipped = 0, rejected = 0, inserted = 0;
            for (Path file : files) {
                Exchange result = template.request("direct:import-file", ex -> {
                    ex.getMessage().setBody(file.toFile());
                    ex.getMessage().setHeader(Headers.SOURCE_PATH, file.toString());
                    ex.getMessage().setHeader(Headers.SOURCE_KIND, "cli");
                    ex.getMessage().setHeader(Headers.USER, user);
                });
                if (result.getException() != null) {
                    err.println("encore: " + PrintableNames.of(file.toString()) + " could not be imported: "
                            + PrintableNames.of(result.getException().getMessage()));
                    rejected++;
                    continue;
                }
                FileReport report = result.getMessage().getHeader(Headers.REPORT, FileReport.class);
                out.print(report.describe());
                inserted += report.inserted();
                switch (report.outcome()) {
                    case LOADED -> loaded++;
                    case SKIPPED -> skipped++;
                    default -> rejected++;
                }
            }
            out.printf("%d file(s): %d loaded, %d skipped, %d rejected; %d new streams for user %s%n",
                    files.size(), loaded, skipped, rejected, inserted, user);
            if (loaded == 0 && rejected == 0) {
                err.println("encore: no file given was a streaming history; nothing was loaded");
            }
            return rejected == 0 && loaded > 0 ? 0 : 1;
        } finally {
            main.stop();
        }
    }

    /** Files as given; folders walked in name order, hidden files left out. */
    static List<Path> expand(List<String> operands) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String operand : operands) {
            Path p = Path.of(operand);
            if (Files.isRegularFile(p)) {
                files.add(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                throw new IllegalArgumentException("no such file or folder: " + operand);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files found in " + String.join(", ", operands));
        }
        return files;
    }
}
