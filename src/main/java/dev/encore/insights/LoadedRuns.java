package dev.encore.insights;

import dev.encore.store.Database;
import dev.encore.store.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A user's loaded import runs at one moment: which streams a history held in memory is made of,
 * and, against a later moment, what the runs loaded since then added (see V16). Streams are only
 * ever added by loaded runs, with the run that added them, in the transaction that marks the run
 * loaded; a run that changed or removed other runs' streams says so.
 */
final class LoadedRuns {
    /**
     * @param from          the span of the streams the run added (null when none)
     * @param changedOthers null for a run from before V16
     * @param net           what its counts say it added less what it replaced (for a library page: its rows)
     */
    private record Run(long id, Instant from, Instant to, Boolean changedOthers, long net) {
        boolean addedNoStreams() {
            return from == null && Boolean.FALSE.equals(changedOthers);
        }
    }

    private final Run[] runs; // by id
    private final long[] ids;

    private LoadedRuns(List<Run> runs) {
        this.runs = runs.toArray(new Run[0]);
        this.ids = runs.stream().mapToLong(Run::id).toArray();
    }

    static LoadedRuns of(Connection c, String user) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT import_run_id, streams_from, streams_to, streams_changed, "
                + "records_inserted - records_replaced FROM import_run WHERE user_id = ? AND status = ? ORDER BY import_run_id")) {
            ps.setString(1, user);
            ps.setString(2, RunStatus.LOADED.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean changed = rs.getBoolean(4);
                    Boolean known = rs.wasNull() ? null : changed;
                    runs.add(new Run(rs.getLong(1), Database.instant(rs, 2), Database.instant(rs, 3), known, rs.getLong(5)));
                }
            }
        }
        return new LoadedRuns(runs);
    }

    /** The same text as {@code InsightsStore}'s quick look: how many loaded runs, and the newest. */
    String version() {
        return ids.length + "/" + (ids.length == 0 ? 0 : ids[ids.length - 1]);
    }

    /** About how many streams the user has, from the runs' own counts (no count of the stream table). */
    long streamsEstimate() {
        long n = 0;
        for (Run run : runs) {
            n += run.addedNoStreams() ? 0 : run.net();
        }
        return n;
    }

    boolean contains(long runId) {
        return Arrays.binarySearch(ids, runId) >= 0;
    }

    /**
     * What the runs loaded since {@code earlier} added, as the spans of time to read them from, or
     * null when a history of {@code earlier} cannot be brought up to date by adding streams: a run
     * changed or removed streams of others, or its effect is unknown.
     */
    List<Instant[]> addedSince(LoadedRuns earlier) {
        List<Instant[]> spans = new ArrayList<>();
        for (long id : earlier.ids) {
            if (!contains(id)) {
                return null; // loaded runs never stop being loaded; if one did, start again
            }
        }
        for (Run run : runs) {
            if (earlier.contains(run.id())) {
                continue;
            }
            if (!Boolean.FALSE.equals(run.changedOthers())) {
                return null;
            }
            if (run.from() != null) {
                spans.add(new Instant[] {run.from(), run.to()});
            }
        }
        return merged(spans);
    }

    /** Overlapping spans as one, in time order: an export's files, or hourly polls, make a few reads, not one each. */
    private static List<Instant[]> merged(List<Instant[]> spans) {
        spans.sort(Comparator.comparing(s -> s[0]));
        List<Instant[]> merged = new ArrayList<>();
        for (Instant[] s : spans) {
            Instant[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && !s[0].isAfter(last[1])) {
                if (s[1].isAfter(last[1])) {
                    last[1] = s[1];
                }
            } else {
                merged.add(new Instant[] {s[0], s[1]});
            }
        }
        return merged;
    }

}
