package dev.encore.intake;

import dev.encore.export.PrintableNames;
import java.util.List;
import java.util.stream.Collectors;

/** What one source file (JSON or ZIP) gave: its outcome, and a run per JSON file in it. */
public record FileReport(String sourcePath, String user, Outcome outcome, String reason, List<RunReport> runs) {

    public static FileReport of(String sourcePath, String user, List<RunReport> runs) {
        List<RunReport> rejected = runs.stream().filter(RunReport::isRejected).toList();
        if (!rejected.isEmpty()) {
            return new FileReport(sourcePath, user, Outcome.REJECTED,
                    rejected.stream().map(RunReport::reason).collect(Collectors.joining("; ")), runs);
        }
        if (runs.stream().anyMatch(RunReport::isLoaded)) {
            return new FileReport(sourcePath, user, Outcome.LOADED, null, runs);
        }
        return new FileReport(sourcePath, user, Outcome.SKIPPED,
                runs.stream().map(RunReport::reason).collect(Collectors.joining("; ")), runs);
    }

    public int inserted() {
        return runs.stream().mapToInt(r -> r.counts().inserted()).sum();
    }

    /**
     * The text written beside a quarantined file, and printed by {@code encore import}; names and
     * reasons escaped ({@link dev.encore.export.PrintableNames}), so that each line is the line it seems.
     */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(PrintableNames.of(sourcePath)).append(" (user ").append(PrintableNames.of(user)).append("): ").append(outcome.name().toLowerCase()).append('\n');
        if (runs.isEmpty() && reason != null) {
            s.append("  ").append(PrintableNames.of(reason)).append('\n');
        }
        for (RunReport r : runs) {
            s.append(String.format("  %-8s %-17s read %7d  new %7d  duplicate %7d  rejected %5d  %s%n",
                    r.status().dbValue(), r.format() == null ? "-" : r.format(), r.counts().read(), r.counts().inserted(),
                    r.counts().duplicate(), r.counts().rejected(), PrintableNames.of(r.path())));
            if (r.reason() != null) {
                s.append("           ").append(PrintableNames.of(r.reason())).append('\n');
            }
        }
        if (outcome == Outcome.REJECTED && runs.stream().anyMatch(RunReport::isLoaded)) {
            s.append("  The other files of this archive were loaded; uploading it again after a fix counts no stream twice.\n");
        }
        return s.toString();
    }
}
