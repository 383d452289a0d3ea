package dev.encore.intake;

import dev.encore.export.ExportArchive;
import dev.encore.export.ExportFormat;
import dev.encore.export.PrintableNames;
import dev.encore.export.RecordRejection;
import dev.encore.export.StreamRecord;
import dev.encore.export.StreamingHistoryReader;
import dev.encore.export.TimePrecision;
import dev.encore.export.UnreadableExportException;
import dev.encore.export.ZipLimits;
import dev.encore.store.ArtistFirstStreams;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import dev.encore.store.ImportStore.RunCounts;
import dev.encore.store.ListeningGaps;
import dev.encore.store.PlayReconciler;
import dev.encore.store.RunStatus;
import dev.encore.store.StreamUpserter;
import java.io.BufferedInputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one source file, a loose JSON file or a Spotify ZIP, into the warehouse. Each JSON file
 * is one {@code import_run} and one transaction: all its good records or, when the file itself
 * cannot be read, none. Problems with the data end up in the returned report; only
 * infrastructure failures (database down) are thrown, so that the caller retries later.
 */
public final class ExportImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ExportImporter.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Database database;
    private final ImportStore store;
    private final ZipLimits zipLimits;
    private final int batchSize;
    private final PlayReconciler reconciler;
    private final ListeningGaps gaps;
    private final boolean fastPaths;

    /** With the default match tolerance (docs/reconciliation.md) and the system clock. */
    public ExportImporter(Database database, ImportStore store, ZipLimits zipLimits, int batchSize) {
        this(database, store, zipLimits, batchSize, new PlayReconciler(PlayReconciler.DEFAULT_TOLERANCE),
                new ListeningGaps(database.dataSource(), Clock.systemUTC()));
    }

    /** @param reconciler matches the export's streams with polled plays of the same time (docs/reconciliation.md) */
    public ExportImporter(Database database, ImportStore store, ZipLimits zipLimits, int batchSize,
            PlayReconciler reconciler, ListeningGaps gaps) {
        this(database, store, zipLimits, batchSize, reconciler, gaps, true);
    }

    private ExportImporter(Database database, ImportStore store, ZipLimits zipLimits, int batchSize,
            PlayReconciler reconciler, ListeningGaps gaps, boolean fastPaths) {
        this.fastPaths = fastPaths;
        this.database = database;
        this.store = store;
        this.zipLimits = zipLimits;
        this.batchSize = batchSize;
        this.reconciler = reconciler;
        this.gaps = gaps;
    }

    /**
     * The same importer without the fast paths (rows straight into {@code stream} when nothing
     * collides): what the tests compare them with, and what the benchmark measures them against.
     */
    public ExportImporter conflictSafeOnly() {
        return new ExportImporter(database, store, zipLimits, batchSize, reconciler, gaps, false);
    }

    @FunctionalInterface
    private interface Opener {
        InputStream open() throws IOException;
    }

    /**
     * @param sourcePath how the file is named in reports (its path in the inbox or the lake)
     * @param sourceKind {@code local}, {@code adls} or {@code cli}
     */
    public FileReport importFile(Path file, String sourcePath, String user, String sourceKind) throws SQLException, IOException {
        if (!SourceUsers.isValid(user)) {
            String reason = sourcePath + " is in a folder whose name '" + user + "' is not a valid user name "
                    + "(1-100 letters, digits, '.', '_', '@' or '-'); move it into a folder named after its user";
            LOG.warn(PrintableNames.of(reason));
            return new FileReport(sourcePath, String.valueOf(user), Outcome.REJECTED, reason, List.of());
        }
        store.ensureUser(user);
        byte[] head = new byte[4];
        int n;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return missing(sourcePath, user, sourceKind);
        }
        boolean zip = ExportArchive.looksLikeZip(head, n);
        // Bytes loaded before are recognised before anything is parsed. Only a file of a size among
        // the user's loads can be such bytes (or any file, next to runs from before sizes were kept);
        // any other JSON file is hashed on the reading thread while it is parsed, off a first load's path.
        String digest = null;
        if (zip || store.mayHaveLoaded(user, size)) {
            digest = ContentDigest.of(file);
            Instant loadedAt = store.loadedBefore(user, digest);
            if (loadedAt != null) {
                return logged(alreadyLoaded(sourcePath, user, sourceKind, loadedAt));
            }
        }
        ContentDigest.Hashing hashing = digest == null ? new ContentDigest.Hashing() : null;
        FileReport report = zip
                ? importArchive(file, sourcePath, user, sourceKind)
                : FileReport.of(sourcePath, user, List.of(importJson(() -> new BufferedInputStream(
                        hashing == null ? Files.newInputStream(file) : hashing.wrap(Files.newInputStream(file)), 1 << 16),
                        sourcePath, file.getFileName().toString(), user, sourceKind)));
        if (report.outcome() == Outcome.LOADED) { // only a whole load makes these bytes known
            if (digest == null) {
                digest = hashing.ofWhole(size);
            }
            store.recordDigest(report.runs().stream().map(RunReport::runId).toList(),
                    digest != null ? digest : ContentDigest.of(file), size);
        }
        return logged(report);
    }

    private static FileReport logged(FileReport report) {
        if (report.reason() == null) {
            LOG.info("{}: {} ({} new streams)", PrintableNames.of(report.sourcePath()), report.outcome(), report.inserted());
        } else { // the reason belongs in the log line too, not only in the .reason.txt beside the file
            LOG.info("{}: {} ({} new streams): {}", PrintableNames.of(report.sourcePath()), report.outcome(), report.inserted(),
                    PrintableNames.of(report.reason()));
        }
        return report;
    }

    /**
     * The same bytes were loaded for this user before: reported, and recorded as a run of its own
     * (which counts as no load), without reading a record.
     */
    private FileReport alreadyLoaded(String sourcePath, String user, String sourceKind, Instant loadedAt)
            throws SQLException {
        String reason = "already loaded on " + WHEN.format(loadedAt) + ", 0 new";
        long runId = store.startRun(user, sourcePath, sourceKind);
        store.finishRun(runId, RunStatus.ALREADY_LOADED, null, RunCounts.NONE, reason, List.of());
        return new FileReport(sourcePath, user, Outcome.LOADED, reason,
                List.of(new RunReport(runId, sourcePath, null, RunStatus.ALREADY_LOADED, RunCounts.NONE, reason)));
    }

    /** Records that a listed file was gone when it was to be read. */
    public FileReport missing(String sourcePath, String user, String sourceKind) throws SQLException {
        store.ensureUser(user);
        String reason = sourcePath + " disappeared between being listed and being read; nothing was loaded";
        RunReport run = finished(store.startRun(user, sourcePath, sourceKind), sourcePath, RunStatus.REJECTED, reason);
        LOG.warn(PrintableNames.of(reason));
        return new FileReport(sourcePath, user, Outcome.MISSING, reason, List.of(run));
    }

    private FileReport importArchive(Path file, String sourcePath, String user, String sourceKind) throws SQLException, IOException {
        List<RunReport> runs = new ArrayList<>();
        try (ExportArchive archive = ExportArchive.open(file, zipLimits)) {
            for (ZipEntry entry : archive.entries()) {
                String entryPath = sourcePath + "!/" + entry.getName();
                String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                if (!ExportArchive.isJson(entry)) {
                    runs.add(finished(store.startRun(user, entryPath, sourceKind), entryPath, RunStatus.SKIPPED,
                            name + " is not a JSON file"));
                    continue;
                }
                runs.add(importJson(() -> archive.open(entry), entryPath, name, user, sourceKind));
                if (archive.limitBroken()) {
                    break; // the archive lied about its sizes: read nothing more from it
                }
            }
            if (runs.stream().noneMatch(r -> r.format() != null || r.isRejected())) {
                return rejectWhole(sourcePath, user, sourceKind, file.getFileName() + " holds no streaming history JSON file; is it a Spotify export?", runs);
            }
        } catch (UnreadableExportException e) {
            return rejectWhole(sourcePath, user, sourceKind, file.getFileName() + " " + e.getMessage(), runs);
        }
        closeGapsSpannedTogether(user, runs);
        return FileReport.of(sourcePath, user, runs);
    }

    private FileReport rejectWhole(String sourcePath, String user, String sourceKind, String reason, List<RunReport> runs)
            throws SQLException {
        List<RunReport> all = new ArrayList<>(runs);
        all.add(finished(store.startRun(user, sourcePath, sourceKind), sourcePath, RunStatus.REJECTED, reason));
        return FileReport.of(sourcePath, user, all);
    }

    /**
     * One JSON file as one run: loaded, skipped (not listening history) or rejected (unreadable);
     * only infrastructure failures are thrown, after the run is marked failed.
     */
    private RunReport importJson(Opener opener, String path, String name, String user, String sourceKind)
            throws SQLException, IOException {
        long runId = store.startRun(user, path, sourceKind);
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (InputStream in = opener.open(); StreamingHistoryReader reader = StreamingHistoryReader.open(in, name)) {
                if (reader.format() == null) {
                    c.rollback();
                    return finished(runId, path, RunStatus.SKIPPED, name + " " + reader.notHistoryReason());
                }
                return load(c, reader, runId, path, name, user);
            } catch (UnreadableExportException e) {
                c.rollback();
                return finished(runId, path, RunStatus.REJECTED, name + " " + e.getMessage());
            } catch (ExportArchive.ZipLimitException e) {
                c.rollback();
                return finished(runId, path, RunStatus.REJECTED, "the archive's " + e.getMessage());
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c, e);
                String problem = dataProblem(e);
                if (problem != null) {
                    return finished(runId, path, RunStatus.REJECTED, name + " " + problem);
                }
                failQuietly(runId, e);
                throw e;
            }
        }
    }

    /** Stores the history's streams and the run's counts in the caller's transaction, and commits them. */
    private RunReport load(Connection c, StreamingHistoryReader reader, long runId, String path, String name, String user)
            throws SQLException, IOException, UnreadableExportException {
        ExportFormat format = reader.format();
        store.lockUser(c, user);
        ArtistFirstStreams firsts = new ArtistFirstStreams();
        Written written = writeStreams(c, reader, runId, user, firsts);
        PlayReconciler.Result polled = withPolledPlays(c, user, written, format.precision(), runId);
        if (format.precision() == TimePrecision.MINUTE || written.upgraded() > 0 || polled.changedStreams()) {
            ArtistFirstStreams.rebuild(c, user); // what was read is not what is stored
        } else {
            firsts.save(c, user);
        }
        if (format.precision() == TimePrecision.MINUTE) {
            store.markMinuteStreams(c, user);
        }
        RunCounts counts = counts(reader, written.inserted());
        String note = refusalNote(reader, name);
        store.finishRun(c, runId, RunStatus.LOADED, format.label(), counts, note, reader.rejections());
        store.noteReconciliation(c, runId, polled.newlyConfirmed(), polled.streamsDeleted() - polled.streamsInserted());
        boolean added = written.inserted() > 0;
        store.noteStreams(c, runId, added ? written.first() : null, added ? written.last() : null,
                written.upgraded() > 0 || polled.changedStreams());
        c.commit();
        if (polled.newlyConfirmed() > 0) {
            LOG.info("{}: confirmed {} polled plays (the export's streams take their place)", PrintableNames.of(path), polled.newlyConfirmed());
        }
        if (written.upgraded() > 0) {
            LOG.info("{}: {} account-data streams took on the details of their extended records", PrintableNames.of(path), written.upgraded());
        }
        return new RunReport(runId, path, format.label(), RunStatus.LOADED, counts, note);
    }

    /**
     * Spotify splits one export into files by year and size: a gap on the boundary of two files is
     * spanned by the archive's files together, though by neither alone.
     */
    private void closeGapsSpannedTogether(String user, List<RunReport> runs) throws SQLException {
        List<Long> loaded = runs.stream().filter(RunReport::isLoaded).map(RunReport::runId).toList();
        if (loaded.size() < 2) {
            return;
        }
        try (Connection c = database.dataSource().getConnection()) {
            if (!gaps.hasOpen(c, user)) {
                return; // most users: one look-up in a small table, no scan of their streams
            }
            c.setAutoCommit(false);
            store.lockUser(c, user);
            String ids = String.join(", ", Collections.nCopies(loaded.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(ts_utc), MAX(ts_utc), MAX(CASE WHEN "
                    + "ts_precision = 'minute' THEN 1 ELSE 0 END) FROM stream WHERE user_id = ? AND import_run_id IN (" + ids + ")")) {
                ps.setString(1, user);
                for (int i = 0; i < loaded.size(); i++) {
                    ps.setLong(2 + i, loaded.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        Instant first = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        Instant last = rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                        gaps.closeSpanned(c, user, first, rs.getInt(3) == 1 ? last.plusSeconds(60) : last,
                                loaded.get(loaded.size() - 1));
                    }
                }
            }
            c.commit();
        }
    }

    /** What writing a history did to the {@code stream} table, and the span of its records' end times (null when none). */
    private record Written(int inserted, int upgraded, Instant first, Instant last) {
    }

    /**
     * Closes the listening gaps the export spans, and hands the polled plays of its time to
     * reconciliation. A user who has no polled plays then costs one indexed look-up.
     */
    private PlayReconciler.Result withPolledPlays(Connection c, String user, Written written, TimePrecision precision,
            long runId) throws SQLException {
        if (written.first() == null) {
            return new PlayReconciler.Result(0, 0, 0);
        }
        // account data's end times are cut to the minute: its last stream may have ended a minute later
        Instant last = precision == TimePrecision.MINUTE ? written.last().plusSeconds(60) : written.last();
        gaps.closeSpanned(c, user, written.first(), last, runId);
        if (!reconciler.hasPolledPlays(c, user, written.first(), last)) {
            return new PlayReconciler.Result(0, 0, 0);
        }
        return reconciler.reconcile(c, user, written.first(), last, new ArtistFirstStreams());
    }

    /** Batches handed from the reading thread to the writer, and how many may wait (constant memory). */
    private static final int READ_AHEAD_BATCH = 2_000;
    private static final int READ_AHEAD_DEPTH = 4;

    /**
     * Writes every good record of the history once, noting each artist's first stream on the way.
     * The file is parsed on a second thread ({@link ReadAhead}) while this one writes.
     */
    private Written writeStreams(Connection c, StreamingHistoryReader reader, long runId, String user, ArtistFirstStreams firsts)
            throws SQLException, IOException, UnreadableExportException {
        TimePrecision precision = reader.format().precision();
        Span span = new Span(); // filled on the reading thread, read here once it has ended
        // parsing starts first, and goes on while the writer gets ready
        try (ReadAhead records = new ReadAhead(reader, READ_AHEAD_BATCH, READ_AHEAD_DEPTH, r -> {
                 firsts.add(r.artistName(), r.kind().dbValue(), r.incognito(), r.endedAt());
                 span.add(r.endedAt());
             });
             StreamUpserter upserter = new StreamUpserter(c, database.dialect(), user, runId,
                precision, store.hasMinutePrecisionStreams(c, user), batchSize, fastPaths)) {
            for (List<StreamRecord> batch = records.next(); batch != null; batch = records.next()) {
                for (StreamRecord r : batch) {
                    upserter.add(r);
                }
            }
            upserter.flush();
            return new Written(upserter.inserted(), upserter.upgraded(), span.first, span.last);
        }
    }

    /** The earliest and latest end time seen. */
    private static final class Span {
        Instant first;
        Instant last;

        void add(Instant end) {
            if (first == null || end.isBefore(first)) {
                first = end;
            }
            if (last == null || end.isAfter(last)) {
                last = end;
            }
        }
    }

    private static RunCounts counts(StreamingHistoryReader reader, int inserted) {
        int read = reader.recordsRead();
        int rejected = reader.recordsRejected();
        return new RunCounts(read, inserted, read - rejected - inserted, rejected);
    }

    /** The first refused record and how many there were, or null when none was. */
    private static String refusalNote(StreamingHistoryReader reader, String name) {
        if (reader.recordsRejected() == 0) {
            return null;
        }
        RecordRejection first = reader.rejections().get(0);
        return name + ": " + reader.recordsRejected() + " record(s) refused, e.g. record " + first.recordNumber()
                + ": " + first.reason();
    }

    /**
     * Tells a problem with the file's content (quarantine it) from trouble with the
     * infrastructure (retry later), for the errors that do not announce themselves as such.
     *
     * @return what is wrong with the content, or null when the infrastructure is to blame
     */
    private static String dataProblem(Exception e) {
        if (e instanceof CharConversionException) { // Jackson met bytes that are no Unicode text
            return "is not text (a binary file?): " + e.getMessage();
        }
        if (e instanceof ZipException || e instanceof EOFException) { // raised while inflating an entry
            return "is damaged inside the archive: " + e.getMessage();
        }
        if (e instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("22")) {
            return "holds a value the database refused: " + s.getMessage();
        }
        return null;
    }

    /** A run that ends without streams: skipped or rejected, with the reason. */
    private RunReport finished(long runId, String path, RunStatus status, String reason) throws SQLException {
        store.finishRun(runId, status, null, RunCounts.NONE, reason, List.of());
        return new RunReport(runId, path, null, status, RunCounts.NONE, reason);
    }

    /**
     * Rolls back after a failure without letting the rollback's own failure (the connection is
     * gone, which may be the failure) take the place of the error that says what happened.
     */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Marks the run failed (to be retried) without hiding the original error if the database is down too. */
    private void failQuietly(long runId, Exception cause) {
        try {
            store.finishRun(runId, RunStatus.FAILED, null, RunCounts.NONE, cause.toString(), List.of());
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
