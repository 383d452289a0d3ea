package dev.encore.bench;


import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.export.StreamRecord;
import dev.encore.export.StreamingHistoryReader;
import dev.encore.export.ZipLimits;
import dev.encore.intake.ExportImporter;
import dev.encore.intake.FileReport;
import dev.encore.intake.Outcome;
import dev.encore.intake.RunReport;
import dev.encore.store.Database;
import dev.encore.store.Dialect;
import dev.encore.store.ImportStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;


import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Benchmark of the export intake: generates a synthetic extended streaming history (current
 * 2024 schema), then measures the parser alone and {@link ExportImporter} end to end on H2
 * and/or PostgreSQL, first load and re-load (all duplicates), with the peak heap of each phase.
 *
 * <p>A program, not a unit test (the name does not end in Test, so surefire ignores it): it
 * measures and reports, and fails (exit code 1) only when the data is wrong, never on time.
 * Run it through {@code bench/intake.sh}, which also bounds the heap with {@code -Xmx256m}.
 */
public final class IntakeBenchmark {
    private static final String USER = "bench";
    private static final double MB = 1_000_000d;
    /** Where the parse-only pass leaves its checksum. */
    private static volatile long sink;

    private IntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(Options.USAGE);
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new IntakeBenchmark().run(o) ? 0 : 1);
    }

    private final HeapProbe heap = new HeapProbe();
    private final List<Phase> phases = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    private boolean run(Options o) throws Exception {
        printHeader(o);
        boolean tempWorkDir = o.workDir == null;
        Path workDir = tempWorkDir ? Files.createTempDirectory("encore-bench-") : Files.createDirectories(o.workDir);
        Path exportDir = Files.createDirectories(workDir.resolve("export-" + randomSuffix()));
        try {
            // (a) the export files, written by a streaming generator (constant memory)
            heap.reset();
            long t0 = System.nanoTime();
            List<Path> files = new ExportGenerator(o.seed).write(exportDir, o.records, o.files);
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            phases.add(heap.phase("generate " + files.size() + " file(s)", o.records, bytes, System.nanoTime() - t0, null, null));
            System.out.printf(Locale.ROOT, "Generated %,d records in %d file(s), %,.1f MB (%,d bytes/record) in %s%n",
                    o.records, files.size(), bytes / MB, bytes / Math.max(1, o.records), exportDir);

            // (b) the parser alone over the same bytes; the first pass warms the JIT up
            for (String label : List.of("parse-only (cold, 1st pass)", "parse-only (warm, 2nd pass)")) {
                heap.reset();
                t0 = System.nanoTime();
                long parsed = parseAll(files);
                phases.add(heap.phase(label, parsed, bytes, System.nanoTime() - t0, null, null));
                if (parsed != o.records) {
                    fail(label + ": parsed " + parsed + " records, expected " + o.records);
                }
            }

            // (c, d) end to end, each database fresh, then the same files again
            // one database failing (e.g. PostgreSQL down) still leaves the other's figures and the table
            if (o.h2()) {
                Path h2Dir = workDir.resolve("h2-" + randomSuffix());
                try {
                    endToEnd("H2", "jdbc:h2:file:" + h2Dir.toAbsolutePath() + "/bench" + System.getProperty("bench.h2.options", ""), "sa", "", o, files, bytes,
                            () -> String.format(Locale.ROOT, "%.0f MB on disk", directorySize(h2Dir) / MB));
                } catch (Exception e) {
                    failed("H2", e);
                } finally {
                    if (!o.keep) {
                        deleteTree(h2Dir);
                    }
                }
            }
            if (o.postgres()) {
                try {
                    postgres(o, files, bytes);
                } catch (Exception e) {
                    failed("PostgreSQL", e);
                }
            }
        } finally {
            if (!o.keep) {
                deleteTree(exportDir);
                if (tempWorkDir) {
                    deleteTree(workDir);
                }
            } else {
                System.out.println("Kept the generated files under " + workDir);
            }
        }
        printTable(o);
        return failures.isEmpty();
    }

    // ------------------------------------------------------------------ phases

    private static long parseAll(List<Path> files) throws Exception {
        long count = 0;
        long checksum = 0; // uses every record, so the JIT cannot drop the mapping work
        for (Path f : files) {
            // the same buffering as ExportImporter
            try (InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
                 StreamingHistoryReader reader = StreamingHistoryReader.open(in, f.getFileName().toString())) {
                if (reader.format() == null) {
                    throw new IllegalStateException(f + " " + reader.notHistoryReason());
                }
                for (StreamRecord r = reader.next(); r != null; r = reader.next()) {
                    count++;
                    checksum += r.msPlayed() ^ r.contentHash();
                }
                if (reader.recordsRejected() > 0) {
                    throw new IllegalStateException(f + ": " + reader.recordsRejected() + " records rejected, e.g. "
                            + reader.rejections().get(0));
                }
            }
        }
        sink = checksum;
        return count;
    }

    @FunctionalInterface
    private interface SizeProbe {
        String describe() throws Exception;
    }

    private void endToEnd(String name, String url, String user, String password, Options o, List<Path> files,
            long bytes, SizeProbe size) throws Exception {
        long t0 = System.nanoTime();
        try (Database db = Database.open(url, user, password, o.poolSize)) {
            System.out.printf(Locale.ROOT, "%s: fresh database %s, migrated in %.1f s%n", name, url, (System.nanoTime() - t0) / 1e9);
            ExportImporter importer = new ExportImporter(db, new ImportStore(db.dataSource()), ZipLimits.DEFAULT, o.batchSize);
            if (o.safeOnly) {
                importer = importer.conflictSafeOnly();
            }

            // the re-load's copies are written now, so that their write-back to disk is long over when it runs
            List<Path> renewed = renewed(files);
            String label = name + " first load";
            Totals first = importAll(importer, files, label, bytes);
            check(label, first, o.records, 0);
            long rows = countRows(db);
            if (rows != o.records) {
                fail(label + ": the stream table holds " + rows + " rows, expected " + o.records);
            }

            if (db.dialect() == Dialect.H2) {
                h2Ceiling(db, rows, bytes);
            }

            label = name + " re-upload (same bytes)";
            Totals same = importAll(importer, files, label, bytes);
            check(label, same, 0, 0);
            if (same.read != 0) {
                fail(label + ": read " + same.read + " records of files it had loaded");
            }

            // the same records in new bytes (one more newline each): read, and every record a duplicate
            label = name + " re-load (all dup)";
            Totals again = importAll(importer, renewed, label, bytes);
            check(label, again, 0, o.records);
            System.out.printf(Locale.ROOT, "%s: %,d rows in stream, %s%n", name, rows, size.describe());
        }
    }

    /**
     * What H2 itself takes, the counterpart of the {@code \\copy} ceiling of bench/compare.sh: the
     * loaded rows copied by one {@code INSERT ... SELECT} into a table of the same columns, primary
     * key and unique natural key, in one transaction, with no parsing, binding or JDBC in the way.
     * Reading the rows back is part of it, so H2's own ceiling is, if anything, a little higher.
     */
    private void h2Ceiling(Database db, long rows, long bytes) throws Exception {
        String label = "H2 ceiling (INSERT...SELECT)";
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE stream_ceiling AS SELECT * FROM stream WITH NO DATA");
            st.execute("ALTER TABLE stream_ceiling ALTER COLUMN stream_id SET NOT NULL");
            st.execute("ALTER TABLE stream_ceiling ADD PRIMARY KEY (stream_id)");
            st.execute("CREATE UNIQUE INDEX ux_stream_ceiling ON stream_ceiling (user_id, ts_utc, ms_played, content_hash)");
            c.setAutoCommit(false);
            heap.reset();
            CpuProbe.Sample cpu = CpuProbe.now();
            long t0 = System.nanoTime();
            long copied = st.executeUpdate("INSERT INTO stream_ceiling SELECT * FROM stream");
            c.commit();
            long nanos = System.nanoTime() - t0;
            phases.add(heap.phase(label, copied, bytes, nanos, copied, CpuProbe.describe(cpu, CpuProbe.now(), nanos / 1e9)));
            if (copied != rows) {
                fail(label + ": copied " + copied + " rows of " + rows);
            }
            c.setAutoCommit(true);
            st.execute("DROP TABLE stream_ceiling"); // the phases after it see the database as the load left it
        }
    }

    /** Copies of the files with a newline more at the end: other bytes, the same records. */
    private static List<Path> renewed(List<Path> files) throws IOException {
        List<Path> copies = new ArrayList<>();
        for (Path f : files) {
            Path copy = f.resolveSibling("renewed-" + f.getFileName());
            if (!Files.exists(copy)) {
                Files.copy(f, copy);
                Files.write(copy, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
            }
            copies.add(copy);
        }
        return copies;
    }

    private void postgres(Options o, List<Path> files, long bytes) throws Exception {
        TestDatabase db;
        try {
            db = TestDatabases.postgres(o.pgUrl, o.pgUser, o.pgPassword, "encore_bench_");
        } catch (SQLException | IllegalArgumentException e) {
            fail("PostgreSQL: cannot create a database through " + o.pgUrl + " as " + o.pgUser + ": " + e.getMessage());
            return;
        }
        try {
            endToEnd("PostgreSQL", db.url(), db.user(), db.password(), o, files, bytes, () -> {
                try (Connection c = db.connect(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                    rs.next();
                    return String.format(Locale.ROOT, "%.0f MB on disk", rs.getLong(1) / MB);
                }
            });
        } finally {
            if (!o.keep) {
                db.close();
            } else {
                System.out.println("Kept the PostgreSQL database " + db.url());
            }
        }
    }

    /** Sums of the runs' counts over all files of one pass. */
    private record Totals(long read, long inserted, long duplicate, long rejected, List<String> problems) {
    }

    private Totals importAll(ExportImporter importer, List<Path> files, String label, long bytes) throws Exception {
        long read = 0, inserted = 0, duplicate = 0, rejected = 0;
        List<String> problems = new ArrayList<>();
        heap.reset();
        CpuProbe.Sample cpu = CpuProbe.now();
        long t0 = System.nanoTime();
        for (Path f : files) {
            FileReport report = importer.importFile(f, "bench/" + f.getFileName(), USER, "cli");
            if (report.outcome() != Outcome.LOADED) { // (a re-upload of the same bytes is LOADED, with nothing read)
                problems.add(report.describe().strip());
            }
            for (RunReport run : report.runs()) {
                read += run.counts().read();
                inserted += run.counts().inserted();
                duplicate += run.counts().duplicate();
                rejected += run.counts().rejected();
            }
        }
        long nanos = System.nanoTime() - t0;
        phases.add(heap.phase(label, read, bytes, nanos, inserted, CpuProbe.describe(cpu, CpuProbe.now(), nanos / 1e9)));
        return new Totals(read, inserted, duplicate, rejected, problems);
    }

    private void check(String label, Totals t, long expectInserted, long expectDuplicate) {
        t.problems.forEach(p -> fail(label + ": " + p));
        if (t.inserted != expectInserted || t.duplicate != expectDuplicate || t.rejected != 0) {
            fail(String.format(Locale.ROOT, "%s: inserted %,d (expected %,d), duplicate %,d (expected %,d), rejected %,d",
                    label, t.inserted, expectInserted, t.duplicate, expectDuplicate, t.rejected));
        }
    }

    private static long countRows(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM stream")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void failed(String database, Exception e) {
        e.printStackTrace(System.out);
        fail(database + ": the import threw " + e);
    }

    private void fail(String message) {
        failures.add(message);
        System.out.println("!!!!! FAIL: " + message);
    }

    // ------------------------------------------------------------------ output

    private static void printHeader(Options o) {
        System.out.printf(Locale.ROOT, "Encore export intake benchmark: %,d records, %s file(s), db=%s, batch %d, pool %d, seed %d%s%n",
                o.records, o.files == 0 ? "auto" : String.valueOf(o.files), o.db, o.batchSize, o.poolSize, o.seed,
                o.safeOnly ? ", conflict-safe path only" : "");
        System.out.printf(Locale.ROOT, "JVM %s %s, %d cores, max heap %s (Runtime.maxMemory %.0f MB), GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(), xmx(), Runtime.getRuntime().maxMemory() / (1024d * 1024),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", ")));
    }

    private static String xmx() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxHeapSize"))
                .reduce((a, b) -> b).orElse("(no -Xmx: JVM default)");
    }

    private void printTable(Options o) {
        String line = "-".repeat(121);
        System.out.println();
        System.out.println(line);
        System.out.printf(Locale.ROOT, "%-30s %10s %8s %10s %7s %10s %10s %12s %13s%n",
                "Phase", "Records", "Seconds", "Records/s", "MB/s", "Inserted", "Peak heap", "Pool peaks", "Max after GC");
        System.out.println(line);
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "%-30s %,10d %8.1f %,10.0f %7.1f %10s %10.0f %12.0f %13s%n",
                    p.label, p.records, p.seconds(), p.recordsPerSecond(), p.bytes / MB / p.seconds(),
                    p.inserted == null ? "-" : String.format(Locale.ROOT, "%,d", p.inserted),
                    mib(p.peakHeap), mib(p.poolPeaks),
                    p.maxAfterGc == 0 ? "(no GC)" : String.format(Locale.ROOT, "%.0f", mib(p.maxAfterGc)));
        }
        System.out.println(line);
        System.out.println("Heap figures in MiB, each phase starting after a System.gc(). Peak heap = the most heap in use at");
        System.out.println("once (sampled every 10 ms and taken just before each GC). Pool peaks = the sum of the heap pools'");
        System.out.println("MemoryPoolMXBean peaks, an upper bound that can pass -Xmx (the pools peak at different moments).");
        System.out.println("Max after GC = the most heap still in use right after a collection (bounds the live set).");
        System.out.println("MB/s = 10^6 bytes of JSON per second. Max heap: " + xmx() + ". Parse-only to compare with: the warm 2nd pass.");
        System.out.println();
        System.out.println("CPU, in cores busy on average over each phase (of " + Runtime.getRuntime().availableProcessors()
                + "; others = the rest of the machine, steal = the hypervisor's):");
        phases.stream().filter(p -> p.cpu != null)
                .forEach(p -> System.out.printf(Locale.ROOT, "  %-30s %s%n", p.label, p.cpu));

        Phase parse = find("parse-only (warm");
        System.out.println();
        System.out.println("Against the targets (2 cores): >= 100,000 records/s end to end, within 2x of parse-only,");
        System.out.println("peak heap <= 256 MB for 1M records:");
        for (Phase p : phases) {
            if (p.label.contains("re-upload")) { // nothing read: what counts is how long saying so takes
                System.out.printf(Locale.ROOT, "  %-28s %,9.1f ms for all files, nothing read or written%n", p.label, p.nanos / 1e6);
                continue;
            }
            if (!p.label.contains("load")) {
                continue;
            }
            double rate = p.recordsPerSecond();
            double ratio = parse == null ? Double.NaN : parse.recordsPerSecond() / rate;
            double peakMb = mib(p.peakHeap);
            System.out.printf(Locale.ROOT, "  %-28s %,9.0f rec/s %-5s  %5.1fx parse time %-5s  peak %4.0f MiB %s%n",
                    p.label, rate, rate >= 100_000 ? "MET" : "MISS", ratio, ratio <= 2 ? "MET" : "MISS",
                    peakMb, peakMb <= 256 ? "MET" : "MISS");
        }
        if (o.records < 1_000_000) {
            System.out.printf(Locale.ROOT, "  (the heap target is for 1,000,000 records; this run had %,d)%n", o.records);
        }
        Phase h2Load = find("H2 first load");
        Phase h2Ceiling = find("H2 ceiling");
        if (h2Load != null && h2Ceiling != null) {
            System.out.printf(Locale.ROOT, "  H2 first load at %.2f of H2's own ceiling (%,.0f rows/s, one INSERT...SELECT)%n",
                    h2Load.recordsPerSecond() / h2Ceiling.recordsPerSecond(), h2Ceiling.recordsPerSecond());
        }
        System.out.println();
        if (failures.isEmpty()) {
            System.out.println("Data checks: OK (every phase read, inserted and skipped exactly what it should)");
        } else {
            System.out.println("!!!!! FAIL: " + failures.size() + " check(s) failed:");
            failures.forEach(f -> System.out.println("!!!!!   " + f));
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024d * 1024);
    }

    private Phase find(String prefix) {
        return phases.stream().filter(p -> p.label.startsWith(prefix)).findFirst().orElse(null);
    }

    /** @param cpu where the phase's CPU went ({@link CpuProbe#describe}), for the import phases; else null */
    private record Phase(String label, long records, long bytes, long nanos, Long inserted, long peakHeap,
            long poolPeaks, long maxAfterGc, String cpu) {
        double seconds() {
            return nanos / 1e9;
        }

        double recordsPerSecond() {
            return records / seconds();
        }
    }

    // ------------------------------------------------------------------ heap

    /**
     * The heap of each phase, three ways. The total heap's peak (the figure against the target)
     * is the largest of: the heap just before each collection (where it peaks, from the GC
     * notifications) and a 10 ms sampler (for phases without a collection). The sum of the heap
     * pools' own peaks ({@link MemoryPoolMXBean#getPeakUsage}) is an upper bound that can pass
     * -Xmx, because eden and old gen peak at different moments. The largest heap left right
     * after a collection bounds the live set from above.
     */
    private static final class HeapProbe {
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private final Set<String> poolNames = pools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        private final AtomicLong peakTotal = new AtomicLong();
        private final AtomicLong maxAfterGc = new AtomicLong();

        HeapProbe() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(this::onGc, null, null);
                }
            }
            Thread sampler = new Thread(() -> {
                while (true) {
                    peakTotal.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void onGc(Notification n, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            if ("System.gc()".equals(info.getGcCause())) {
                return; // our own collection between phases
            }
            peakTotal.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
            maxAfterGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
        }

        private long heapUsed(Map<String, MemoryUsage> byPool) {
            return byPool.entrySet().stream().filter(e -> poolNames.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
        }

        /** Starts a phase from a collected heap, so that one phase's garbage is not charged to the next. */
        void reset() throws InterruptedException {
            System.gc();
            Thread.sleep(200); // let the notifications of the previous phase arrive first
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            peakTotal.set(0);
            maxAfterGc.set(0);
        }

        Phase phase(String label, long records, long bytes, long nanos, Long inserted, String cpu) {
            long poolPeaks = pools.stream().map(MemoryPoolMXBean::getPeakUsage).mapToLong(MemoryUsage::getUsed).sum();
            long peak = peakTotal.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            return new Phase(label, records, bytes, nanos, inserted, peak, poolPeaks, maxAfterGc.get(), cpu);
        }
    }

    // ------------------------------------------------------------------ generator

    /**
     * Writes an extended streaming history in the current (late 2024) schema, pretty-printed
     * like Spotify's files, one record at a time. The catalogue is a fixed pool (~20k tracks,
     * podcasts, audiobooks) picked with a skew, so names repeat as in a real history.
     */
    static final class ExportGenerator {
        private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        private static final String[] SYLLABLES = {"ka", "lo", "mi", "ra", "ven", "tor", "sha", "el", "in", "do",
                "ri", "an", "mo", "ne", "sta", "ul", "be", "cor", "lia", "zen", "fa", "gu", "hol", "jo", "que", "wy"};
        private static final String[] WORDS = {"Love", "Night", "Fire", "Heart", "Summer", "Dream", "Blue", "Gold",
                "Road", "Home", "Rain", "Light", "Dance", "Ghost", "River", "Paper", "Wild", "Silver", "Echo", "Stars"};
        /** Names outside ASCII, as real histories have them. */
        private static final String[] UNICODE_ARTISTS = {"Beyoncé", "Sigur Rós", "Björk", "Motörhead", "MØ",
                "宇多田ヒカル", "Кино", "Céline Dion", "Los Ángeles Azules", "BTS (방탄소년단)", "Françoise Hardy", "Zaz"};
        private static final String[] PLATFORMS = {"android", "ios", "windows", "osx", "web_player", "linux", "not_applicable"};
        private static final int[] PLATFORM_WEIGHTS = {45, 27, 12, 7, 6, 1, 2};
        private static final String[] COUNTRIES = {"DE", "US", "FR", "NL", "ES", "IT", "GB", "AT", "SG"};
        private static final int[] COUNTRY_WEIGHTS = {88, 3, 2, 2, 2, 1, 1, 1, 0};
        private static final String[] REASON_START_SKIP = {"fwdbtn", "clickrow", "backbtn", "appload", "playbtn", "remote", "unknown"};
        private static final String[] REASON_END_SKIP = {"fwdbtn", "backbtn", "endplay", "unexpected-exit-while-paused", "logout", "trackerror"};
        private static final int[] REASON_END_SKIP_WEIGHTS = {70, 8, 12, 6, 2, 2};
        private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

        private record Track(String uri, String name, String artist, String album, int durationMs) {
        }

        private record Episode(String uri, String name, String show) {
        }

        private record Chapter(String uri, String title, String bookUri, String book) {
        }

        private final Random rnd;
        private final Track[] tracks = new Track[20_000];
        private final Episode[] episodes = new Episode[3_000];
        private final Chapter[] chapters = new Chapter[400];
        private final String[] ips = new String[40];

        ExportGenerator(long seed) {
            rnd = new Random(seed);
            String[] artists = new String[2_500];
            for (int i = 0; i < artists.length; i++) {
                artists[i] = i < UNICODE_ARTISTS.length ? UNICODE_ARTISTS[i] : name(1 + rnd.nextInt(2)) + (rnd.nextInt(5) == 0 ? " & The " + WORDS[rnd.nextInt(WORDS.length)] + "s" : "");
            }
            String[] albums = new String[6_000];
            int[] albumArtist = new int[albums.length];
            for (int i = 0; i < albums.length; i++) {
                albums[i] = title();
                albumArtist[i] = skewed(artists.length);
            }
            for (int i = 0; i < tracks.length; i++) {
                int album = i < albums.length ? i : rnd.nextInt(albums.length); // every album has a track
                String name = title() + (rnd.nextInt(12) == 0 ? " - Remastered " + (1990 + rnd.nextInt(35))
                        : rnd.nextInt(10) == 0 ? " (feat. " + artists[rnd.nextInt(artists.length)] + ")" : "");
                tracks[i] = new Track("spotify:track:" + base62(), name, artists[albumArtist[album]], albums[album],
                        90_000 + rnd.nextInt(270_000));
            }
            String[] shows = new String[150];
            for (int i = 0; i < shows.length; i++) {
                shows[i] = "The " + title() + " Podcast";
            }
            for (int i = 0; i < episodes.length; i++) {
                episodes[i] = new Episode("spotify:episode:" + base62(), "Episode " + (1 + rnd.nextInt(400)) + ": " + title()
                        + " with " + name(2), shows[skewed(shows.length)]);
            }
            String[] books = new String[20];
            String[] bookUris = new String[books.length];
            for (int i = 0; i < books.length; i++) {
                books[i] = title();
                bookUris[i] = "spotify:show:" + base62();
            }
            for (int i = 0; i < chapters.length; i++) {
                int book = i % books.length;
                chapters[i] = new Chapter("spotify:episode:" + base62(), "Chapter " + (1 + i / books.length), bookUris[book], books[book]);
            }
            for (int i = 0; i < ips.length; i++) {
                ips[i] = (11 + rnd.nextInt(200)) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
            }
        }

        /** Splits {@code records} over {@code files} files (0: ~15k records per file, as Spotify does). */
        List<Path> write(Path dir, int records, int files) throws IOException {
            int fileCount = files > 0 ? files : Math.max(1, (records + 14_999) / 15_000);
            // ~3 minutes apart (1 to 5), closer only if that would not fit between 2006 and yesterday
            long earliest = Instant.parse("2006-06-01T00:00:00Z").getEpochSecond();
            long latest = Instant.now().getEpochSecond() - 86_400;
            int maxGap = (int) Math.max(2, Math.min(300, (latest - earliest) / records));
            int minGap = Math.max(1, maxGap / 5);
            long ts = Math.max(earliest, Math.min(Instant.parse("2013-01-01T00:00:00Z").getEpochSecond(),
                    latest - (long) maxGap * records));
            JsonFactory json = new JsonFactory();
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            // Spotify's layout: "key": value, two spaces per level, one key per line
            DefaultPrettyPrinter layout = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withArrayIndenter(indenter).withObjectIndenter(indenter);
            List<Path> written = new ArrayList<>();
            int previous = -1;
            for (int f = 0; f < fileCount; f++) {
                int count = (int) ((long) records * (f + 1) / fileCount - (long) records * f / fileCount);
                Path tmp = dir.resolve("part-" + f + ".tmp");
                int firstYear = year(ts);
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                     JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
                    g.setPrettyPrinter(layout);
                    g.writeStartArray();
                    for (int i = 0; i < count; i++) {
                        ts += minGap + rnd.nextInt(maxGap - minGap + 1); // strictly increasing: every record is new
                        previous = writeRecord(g, ts, previous);
                    }
                    g.writeEndArray();
                }
                // named as in a real export: the span of years, then a global sequence number
                int lastYear = year(ts);
                String span = firstYear == lastYear ? String.valueOf(firstYear) : firstYear + "-" + lastYear;
                Path file = dir.resolve("Streaming_History_Audio_" + span + (fileCount == 1 ? "" : "_" + f) + ".json");
                Files.move(tmp, file);
                written.add(file);
            }
            return written;
        }

        /** Writes one record; returns the track index, so the next one can continue the album. */
        private int writeRecord(JsonGenerator g, long ts, int previousTrack) throws IOException {
            int roll = rnd.nextInt(1000);
            Track track = null;
            Episode episode = null;
            Chapter chapter = null;
            boolean local = false;
            int trackIndex = -1;
            if (roll < 30) {
                episode = episodes[skewed(episodes.length)];
            } else if (roll < 33) {
                chapter = chapters[rnd.nextInt(chapters.length)];
            } else if (roll < 34) {
                // nothing known: an item Spotify no longer resolves
            } else {
                trackIndex = previousTrack >= 0 && rnd.nextInt(3) == 0
                        ? (previousTrack + 1) % tracks.length // keeps listening to the same album/playlist
                        : skewed(tracks.length);
                track = tracks[trackIndex];
                local = roll < 39; // a local file: names, but no URI
            }
            boolean skip = rnd.nextInt(100) < 35;
            int fullMs = track != null ? track.durationMs : episode != null ? 600_000 + rnd.nextInt(3_000_000) : 900_000;
            int ms = skip ? rnd.nextInt(Math.min(fullMs, 30_000)) : fullMs - rnd.nextInt(Math.max(1, fullMs / 50));
            boolean offline = rnd.nextInt(100) < 3;

            g.writeStartObject();
            g.writeStringField("ts", TS.format(Instant.ofEpochSecond(ts)));
            g.writeStringField("platform", pick(PLATFORMS, PLATFORM_WEIGHTS));
            g.writeNumberField("ms_played", ms);
            g.writeStringField("conn_country", pick(COUNTRIES, COUNTRY_WEIGHTS));
            g.writeStringField("ip_addr", ips[skewed(ips.length)]);
            text(g, "master_metadata_track_name", track == null ? null : track.name);
            text(g, "master_metadata_album_artist_name", track == null ? null : track.artist);
            text(g, "master_metadata_album_album_name", track == null ? null : track.album);
            text(g, "spotify_track_uri", track == null || local ? null : track.uri);
            text(g, "episode_name", episode == null ? null : episode.name);
            text(g, "episode_show_name", episode == null ? null : episode.show);
            text(g, "spotify_episode_uri", episode == null ? null : episode.uri);
            text(g, "audiobook_title", chapter == null ? null : chapter.book);
            text(g, "audiobook_uri", chapter == null ? null : chapter.bookUri);
            text(g, "audiobook_chapter_uri", chapter == null ? null : chapter.uri);
            text(g, "audiobook_chapter_title", chapter == null ? null : chapter.title);
            g.writeStringField("reason_start", skip ? REASON_START_SKIP[rnd.nextInt(REASON_START_SKIP.length)]
                    : rnd.nextInt(4) == 0 ? "clickrow" : "trackdone");
            g.writeStringField("reason_end", skip ? pick(REASON_END_SKIP, REASON_END_SKIP_WEIGHTS) : "trackdone");
            g.writeBooleanField("shuffle", rnd.nextInt(100) < 45);
            if (rnd.nextInt(100) < 3) {
                g.writeNullField("skipped"); // older years of a re-exported history
            } else {
                g.writeBooleanField("skipped", skip && rnd.nextInt(10) < 8);
            }
            g.writeBooleanField("offline", offline);
            // seconds in the current schema; 0 now and then, as in real files
            g.writeNumberField("offline_timestamp", rnd.nextInt(100) == 0 ? 0
                    : ts - ms / 1000 - (offline ? 3_600 + rnd.nextInt(86_400) : rnd.nextInt(5)));
            g.writeBooleanField("incognito_mode", rnd.nextInt(100) == 0);
            g.writeEndObject();
            return trackIndex;
        }

        private static void text(JsonGenerator g, String key, String value) throws IOException {
            if (value == null) {
                g.writeNullField(key);
            } else {
                g.writeStringField(key, value);
            }
        }

        /** An index skewed to the front (a few favourites, a long tail). */
        private int skewed(int n) {
            return (int) (n * Math.pow(rnd.nextDouble(), 2.5));
        }

        private String pick(String[] values, int[] weights) {
            int total = 0;
            for (int w : weights) {
                total += w;
            }
            int r = rnd.nextInt(total);
            for (int i = 0; i < values.length; i++) {
                r -= weights[i];
                if (r < 0) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        private String base62() {
            char[] c = new char[22];
            for (int i = 0; i < c.length; i++) {
                c[i] = BASE62.charAt(rnd.nextInt(BASE62.length()));
            }
            return new String(c);
        }

        private String name(int syllables) {
            StringBuilder s = new StringBuilder();
            for (int w = 0; w < syllables; w++) {
                if (w > 0) {
                    s.append(' ');
                }
                int n = 2 + rnd.nextInt(2);
                StringBuilder word = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    word.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
                }
                s.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
            return s.toString();
        }

        private String title() {
            int words = 1 + rnd.nextInt(4);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < words; i++) {
                if (i > 0) {
                    s.append(' ');
                }
                s.append(rnd.nextInt(3) == 0 ? name(1) : WORDS[rnd.nextInt(WORDS.length)]);
            }
            return s.toString();
        }

        private static int year(long epochSecond) {
            return Instant.ofEpochSecond(epochSecond).atZone(ZoneOffset.UTC).getYear();
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static final class Options {
        static final String USAGE = """
                usage: IntakeBenchmark [--records N] [--files F] [--db h2|postgres|both] [--pg-url URL]
                                       [--pg-user U] [--pg-password P] [--work-dir DIR] [--batch B] [--pool P]
                                       [--seed S] [--keep] [--safe-only]
                  --records   records to generate (default 1000000)
                  --files     files to split them over (default: ~15k records per file, as Spotify does)
                  --db        databases to load (default both)
                  --pg-url    an existing database to connect to; a fresh encore_bench_<random> is created
                              beside it and dropped at the end (default jdbc:postgresql://127.0.0.1:5432/postgres)
                  --work-dir  where the JSON files and the H2 database go (default: a temporary directory)
                  --keep      keep the generated files and databases
                  --safe-only load through the conflict-safe path alone (no rows straight into stream), to compare""";

        int records = 1_000_000;
        int files;
        String db = "both";
        String pgUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
        String pgUser = "postgres";
        String pgPassword = "";
        Path workDir;
        int batchSize = 1000; // encore.import.batch-size
        int poolSize = 5;     // encore.db.pool-size
        long seed = 42;
        boolean keep;
        boolean safeOnly;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--keep")) {
                    o.keep = true;
                    continue;
                }
                if (a.equals("--safe-only")) {
                    o.safeOnly = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--records" -> o.records = positive(a, v);
                    case "--files" -> o.files = positive(a, v);
                    case "--db" -> {
                        if (!List.of("h2", "postgres", "both").contains(v)) {
                            throw new IllegalArgumentException("--db must be h2, postgres or both");
                        }
                        o.db = v;
                    }
                    case "--pg-url" -> o.pgUrl = v;
                    case "--pg-user" -> o.pgUser = v;
                    case "--pg-password" -> o.pgPassword = v;
                    case "--work-dir" -> o.workDir = Path.of(v);
                    case "--batch" -> o.batchSize = positive(a, v);
                    case "--pool" -> o.poolSize = positive(a, v);
                    case "--seed" -> o.seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.files > o.records) {
                throw new IllegalArgumentException("--files cannot exceed --records");
            }
            if (o.poolSize < 2) {
                throw new IllegalArgumentException("--pool must be at least 2 (a run holds one connection and books itself on another)");
            }
            return o;
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value.replace("_", ""));
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a positive whole number, not " + value);
        }

        boolean h2() {
            return !db.equals("postgres");
        }

        boolean postgres() {
            return !db.equals("h2");
        }
    }

    private static String randomSuffix() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static long directorySize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
