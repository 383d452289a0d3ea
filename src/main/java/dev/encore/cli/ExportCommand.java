package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.curated.CuratedTable;
import dev.encore.curated.UserExport;
import dev.encore.curated.UserExport.Format;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * {@code encore export --user U --format parquet|csv --out DIR [--from D] [--to D]}: one user's
 * tables into a folder (docs/curated-zone.md), then the rows per table. Exit 0 when written, 2 on
 * bad arguments or an unknown user, 3 when Encore could not start.
 */
public final class ExportCommand {
    private final CommandLine cmd;
    private final PrintStream out;
    private final PrintStream err;

    public ExportCommand(CommandLine cmd, PrintStream out, PrintStream err) {
        this.cmd = cmd;
        this.out = out;
        this.err = err;
    }

    public int run() throws Exception {
        String user = cmd.option("--user");
        Format format;
        LocalDate from;
        LocalDate to;
        try {
            if (user == null || cmd.option("--out") == null || cmd.option("--format") == null) {
                throw new IllegalArgumentException("export needs --user NAME, --format parquet|csv and --out DIR");
            }
            format = Format.of(cmd.option("--format"));
            from = day("--from");
            to = day("--to");
            if (from != null && to != null && !from.isBefore(to)) {
                throw new IllegalArgumentException("--from " + from + " must be before --to " + to + " (--to is not included)");
            }
        } catch (IllegalArgumentException e) {
            err.println("encore: " + e.getMessage());
            return 2;
        }
        Path dir = Path.of(cmd.option("--out")).toAbsolutePath();
        Main main = Encore.newOneShotMain(cmd);
        Encore.start(main);
        try {
            UserExport export = main.getCamelContext().getRegistry().lookupByNameAndType("userExport", UserExport.class);
            Map<CuratedTable, Long> rows;
            try {
                rows = export.export(user, format, dir, from, to);
            } catch (IllegalArgumentException unknownUser) {
                err.println("encore: " + unknownUser.getMessage() + " (./encore import --user NAME ... loads one)");
                return 2;
            }
            rows.forEach((table, n) -> out.printf("%-16s %9d row(s)  %s%n", table.tableName(), n,
                    dir.resolve(table.tableName() + "." + format.name().toLowerCase(java.util.Locale.ROOT))));
            out.printf("Exported %s's data to %s%n", user, dir);
            return 0;
        } finally {
            main.stop();
        }
    }

    private LocalDate day(String option) {
        String value = cmd.option(option);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " needs a date as YYYY-MM-DD, not '" + value + "'");
        }
    }
}
