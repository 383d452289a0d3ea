package dev.encore.lake;

import dev.encore.export.PrintableNames;
import dev.encore.intake.FileReport;
import dev.encore.intake.Outcome;
import dev.encore.intake.RunReport;
import dev.encore.lake.RawPages.Page;
import dev.encore.lake.RawPages.PolledPlay;
import dev.encore.lake.RawPages.RecentlyPlayed;
import dev.encore.store.ArtistFirstStreams;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import dev.encore.store.ImportStore.RunCounts;
import dev.encore.store.LibraryStore;
import dev.encore.store.ListeningGaps;
import dev.encore.store.PlayReconciler;
import dev.encore.store.RunStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one raw-zone file (a Web API answer) into SQL as one {@code import_run} and one
 * transaction: recently-played into {@code stream} (reconciled with exports, gaps noted), the
 * library kinds into their tables. A file that is not what its folder says is rejected whole with
 * the reason; only infrastructure failures are thrown, for the route to retry.
 */
public final class RawFileLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RawFileLoader.class);
    private static final Pattern USER_FOLDER = Pattern.compile("(?:^|.*/)raw/spotify/[^/]+/([^/]+)/.*");

    private final Database database;
    private final ImportStore store;
    private final PlayReconciler reconciler;
    private final ListeningGaps gaps;

    public RawFileLoader(Database database, ImportStore store, PlayReconciler reconciler, ListeningGaps gaps) {
        this.database = database;
        this.store = store;
        this.reconciler = reconciler;
        this.gaps = gaps;
    }

    /** What {@code import_run.source_kind} says of a raw file, from the local lake or ADLS alike. */
    public static final String SOURCE_KIND = "api";

    /** @param rawPath the file's path in the lake, from {@code raw/} on (or below the lake's root) */
    public FileReport load(byte[] content, String rawPath) throws SQLException {
        RawZonePath where;
        try {
            where = RawZonePath.parse(rawPath);
        } catch (RawFileException e) {
            return rejectedName(rawPath, e.getMessage());
        }
        store.ensureUser(where.user());
        long runId = store.startRun(where.user(), rawPath, SOURCE_KIND);
        Page page;
        try {
            page = RawPageParser.parse(where, content);
        } catch (RawFileException e) {
            return finish(where, runId, RunStatus.REJECTED, RunCounts.NONE, e.getMessage());
        }
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                store.lockUser(c, where.user());
                Loaded loaded = write(c, where, page, runId);
                RunCounts counts = new RunCounts(page.size(), loaded.inserted, Math.max(0, page.size() - loaded.inserted), 0);
                store.finishRun(c, runId, RunStatus.LOADED, where.kind().format(), counts, loaded.note, List.of());
                store.noteReconciliation(c, runId, loaded.confirmed, loaded.replaced);
                store.noteStreams(c, runId, loaded.streamsFrom, loaded.streamsTo, loaded.replaced > 0);
                c.commit();
                LOG.info("{}: loaded {} of {} entries as new{}", PrintableNames.of(rawPath), loaded.inserted, page.size(),
                        loaded.note == null ? "" : " (" + loaded.note + ")");
                return new FileReport(rawPath, where.user(), Outcome.LOADED, null,
                        List.of(new RunReport(runId, rawPath, where.kind().format(), RunStatus.LOADED, counts, loaded.note)));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("22")) {
                    return finish(where, runId, RunStatus.REJECTED, RunCounts.NONE,
                            rawPath + " holds a value the database refused: " + s.getMessage());
                }
                try {
                    store.finishRun(runId, RunStatus.FAILED, null, RunCounts.NONE, e.toString(), List.of());
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
        }
    }

    /**
     * What a page did: rows added, and for plays what reconciliation and the gap check said, and
     * where in time the streams it added (if any) lie.
     */
    private record Loaded(int inserted, int confirmed, int replaced, String note, Instant streamsFrom, Instant streamsTo) {
        /** Rows of a page that adds no streams (a library page, or plays that are none). */
        static Loaded noStreams(int rows) {
            return new Loaded(rows, 0, 0, null, null, null);
        }
    }

    private Loaded write(Connection c, RawZonePath where, Page page, long runId) throws SQLException {
        String user = where.user();
        Instant fetched = where.fetchedAt();
        if (page instanceof RecentlyPlayed p) {
            return plays(c, user, p, runId);
        }
        int added;
        if (page instanceof RawPages.Playlists p) {
            added = LibraryStore.playlists(c, user, p, fetched, runId);
        } else if (page instanceof RawPages.PlaylistItems p) {
            added = LibraryStore.playlistItems(c, user, p, fetched, runId);
        } else if (page instanceof RawPages.TopItems p) {
            added = LibraryStore.topItems(c, user, p, fetched, runId);
        } else {
            added = LibraryStore.savedTracks(c, user, (RawPages.SavedTracks) page, fetched, runId);
        }
        return Loaded.noStreams(added);
    }

    private Loaded plays(Connection c, String user, RecentlyPlayed page, long runId) throws SQLException {
        if (page.plays().isEmpty()) {
            return Loaded.noStreams(0);
        }
        Instant newestStored = ListeningGaps.newestStream(c, user); // before this page adds any
        Instant oldest = page.plays().stream().map(PolledPlay::playedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant newest = page.plays().stream().map(PolledPlay::playedAt).max(Comparator.naturalOrder()).orElseThrow();
        reconciler.addPolled(c, user, runId, page.plays());
        ArtistFirstStreams firsts = new ArtistFirstStreams();
        PlayReconciler.Result r = reconciler.reconcile(c, user, oldest, newest, firsts);
        if (r.streamsDeleted() > 0) {
            ArtistFirstStreams.rebuild(c, user); // a stream went: what was added is not all that changed
        } else {
            firsts.save(c, user);
        }
        String note = null;
        // a first connect (nothing stored yet) leaves nothing out
        if (page.isFull() && newestStored != null && oldest.isAfter(newestStored)) {
            gaps.open(c, user, newestStored, oldest, runId);
            note = "a full page of " + page.limit() + " plays, all after the newest play stored (" + newestStored
                    + "): plays between then and " + oldest + " may be missing; an export will fill this";
            LOG.warn("{}: {}", user, note);
        }
        // the streams reconciliation gave polled plays lie in the span it looked at
        Instant[] span = reconciler.reach(oldest, newest);
        return new Loaded(r.streamsInserted(), r.newlyConfirmed(), r.streamsDeleted(), note,
                r.streamsInserted() > 0 ? span[0] : null, r.streamsInserted() > 0 ? span[1] : null);
    }

    /** A run that ends without rows, with the reason. */
    private FileReport finish(RawZonePath where, long runId, RunStatus status, RunCounts counts, String reason)
            throws SQLException {
        store.finishRun(runId, status, where.kind().format(), counts, reason, List.of());
        LOG.warn(PrintableNames.of(reason)); // the name is the lake writer's text: no forged log lines
        return new FileReport(where.path(), where.user(), status == RunStatus.REJECTED ? Outcome.REJECTED : Outcome.LOADED,
                reason, List.of(new RunReport(runId, where.path(), where.kind().format(), status, counts, reason)));
    }

    /** A file whose name is wrong: recorded under its user when the name still tells whose it is. */
    private FileReport rejectedName(String rawPath, String reason) throws SQLException {
        LOG.warn(PrintableNames.of(reason)); // the name is the lake writer's text: no forged log lines
        Matcher m = USER_FOLDER.matcher(rawPath.replace('\\', '/'));
        String user = m.matches() && dev.encore.intake.SourceUsers.isValid(m.group(1)) ? m.group(1) : null;
        if (user == null) {
            return new FileReport(rawPath, null, Outcome.REJECTED, reason, List.of());
        }
        store.ensureUser(user);
        long runId = store.startRun(user, rawPath, SOURCE_KIND);
        store.finishRun(runId, RunStatus.REJECTED, null, RunCounts.NONE, reason, List.of());
        return new FileReport(rawPath, user, Outcome.REJECTED, reason,
                List.of(new RunReport(runId, rawPath, null, RunStatus.REJECTED, RunCounts.NONE, reason)));
    }
}
