package dev.encore.bench;

import dev.encore.curated.CuratedStatus;
import dev.encore.curated.CuratedTable;
import dev.encore.curated.UserExport;
import dev.encore.curated.CuratedZone;
import dev.encore.curated.LocalCuratedLake;
import dev.encore.insights.ReportingZones;
import dev.encore.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The curated zone for one user with many streams (bench/curated.sh, docs/benchmarks.md): the
 * first write of every month, then the pass after a load of one new month, then {@code encore export}
 * of the whole user as Parquet and as CSV. Streams go into the
 * warehouse by plain JDBC batches (the intake's own speed is IntakeBenchmark's); the heap is
 * capped by the script, and DuckDB's native memory shows in the process's peak RSS.
 *   args: [--streams N] [--db jdbc-url]
 */
public final class CuratedBenchmark {
    public static void main(String[] args) throws Exception {
        int streams = 1_000_000;
        String url = null;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--streams")) {
                streams = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--db")) {
                url = args[i + 1];
            }
        }
        Path dir = Files.createTempDirectory("encore-curated-bench");
        url = url == null ? "jdbc:h2:file:" + dir.resolve("db/encore") : url;
        try (Database database = Database.open(url, url.startsWith("jdbc:h2") ? "sa" : "postgres", "", 4)) {
            int months = 120;
            LocalDateTime start = LocalDateTime.of(2015, 1, 1, 0, 0);
            long t0 = System.nanoTime();
            insert(database, "bench", start, streams, months);
            System.out.printf("warehouse: %,d streams over %d months inserted in %.1f s%n", streams, months, secs(t0));

            CuratedStatus status = new CuratedStatus(new SimpleMeterRegistry());
            CuratedZone zone = new CuratedZone(database, new LocalCuratedLake(dir.resolve("lake")),
                    new ReportingZones(database.dataSource(), ZoneId.of("Europe/Madrid")), status, Clock.systemUTC(),
                    Duration.ofMinutes(1), "256MB", dir.resolve("scratch"));
            resetPeaks();
            long t1 = System.nanoTime();
            CuratedZone.Pass first = zone.pass();
            System.out.printf("first write: %s in %.1f s; %s; lake %d MB%n", first, secs(t1), heapPeakMb(),
                    size(dir.resolve("lake")) >> 20);

            insert(database, "bench", start.plusMonths(months), streams / months, 1);
            zone.changed("bench");
            resetPeaks();
            long t2 = System.nanoTime();
            CuratedZone.Pass next = zone.pass();
            System.out.printf("after a one-month load: %s in %.2f s; %s%n", next, secs(t2), heapPeakMb());
            zone.changed("bench");
            long t3 = System.nanoTime();
            System.out.printf("a pass with nothing changed: %s in %.2f s%n", zone.pass(), secs(t3));
            System.out.printf("process peak RSS so far (heap + DuckDB's native memory + JVM): %s%n", peakRss());
            UserExport export = new UserExport(database, new ReportingZones(database.dataSource(), ZoneId.of("Europe/Madrid")),
                    "256MB", dir.resolve("scratch"));
            for (UserExport.Format format : UserExport.Format.values()) {
                resetPeaks();
                long t4 = System.nanoTime();
                Map<CuratedTable, Long> rows = export.export("bench", format, dir.resolve("export-" + format), null, null);
                System.out.printf("encore export --format %s: %,d streams in %.1f s; %s; %d MB written; %s%n",
                        format, rows.get(CuratedTable.STREAMS), secs(t4), heapPeakMb(), size(dir.resolve("export-" + format)) >> 20,
                        peakRss());
            }
            if (status.lastError() != null) {
                throw new IllegalStateException(status.lastError());
            }
        }
    }

    private static void insert(Database database, String user, LocalDateTime start, int n, int months) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (s.executeUpdate("UPDATE app_user SET display_name = display_name WHERE user_id = '" + user + "'") == 0) {
                    s.executeUpdate("INSERT INTO app_user (user_id, created_at) VALUES ('" + user + "', CURRENT_TIMESTAMP)");
                }
            }
            long spanSeconds = Duration.between(start, start.plusMonths(months)).toSeconds();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stream (user_id, ts_utc, ts_precision, ms_played, kind, "
                    + "content_hash, track_uri, track_name, artist_name, album_name, platform, shuffle, skipped, incognito, source) "
                    + "VALUES (?, ?, 'second', ?, 'music', ?, ?, ?, ?, ?, 'android', ?, ?, ?, 'export')")) {
                for (int i = 0; i < n; i++) {
                    ps.setString(1, user);
                    ps.setObject(2, start.plusSeconds(spanSeconds * i / n));
                    ps.setInt(3, 30_000 + i % 200_000);
                    ps.setLong(4, i);
                    ps.setString(5, "spotify:track:" + "%022d".formatted(i % 50_000));
                    ps.setString(6, "Track \"" + (i % 50_000) + "\", live 🎧");
                    ps.setString(7, "Artist " + (i % 3_000));
                    ps.setString(8, "Album " + (i % 8_000));
                    ps.setBoolean(9, i % 2 == 0);
                    ps.setBoolean(10, i % 3 == 0);
                    ps.setBoolean(11, false);
                    ps.addBatch();
                    if (i % 5_000 == 4_999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }

    /** The most heap in use, and the most still in use right after a collection (the live set), since the last reset. */
    private static final java.util.concurrent.atomic.AtomicLong USED = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

    static {
        Thread sampler = new Thread(() -> {
            while (true) {
                long used = 0;
                long live = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getType() == MemoryType.HEAP) {
                        used += p.getUsage().getUsed();
                        live += p.getCollectionUsage() == null ? 0 : p.getCollectionUsage().getUsed();
                    }
                }
                USED.accumulateAndGet(used, Math::max);
                LIVE.accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void resetPeaks() {
        System.gc();
        USED.set(0);
        LIVE.set(0);
    }

    /** "used ≤ X MB, live after GC ≤ Y MB" (sampled every 20 ms; the cap is the script's -Xmx). */
    private static String heapPeakMb() {
        return "heap used at most " + (USED.get() >> 20) + " MB (live after GC at most " + (LIVE.get() >> 20) + " MB)";
    }

    private static String peakRss() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(l -> l.startsWith("VmHWM")).findFirst().map(l -> l.replaceAll("\\s+", " ")).orElse("n/a");
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
