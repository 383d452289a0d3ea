package dev.encore.bench;


import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.EncoreApp;
import dev.encore.export.ZipLimits;
import dev.encore.intake.ExportImporter;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;



import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;


/**
 * Latency of {@code GET /api/users/{user}/wrapped} over HTTP against the real application, for
 * one user with N generated streams (default 1,000,000 over 2013 to today), on H2 and PostgreSQL.
 * Prints p50, p95 and max per query. See docs/benchmarks.md.
 *
 * With {@code --burst N}, then N requests of a century ({@code from=1926-01-01&to=2026-01-01}),
 * {@code --concurrency C} at a time: the answer's size, requests/s alone and in the burst, the
 * answers by status, and the heap's peak during the burst (issue 12, item 9).
 *
 * <pre>bench/wrapped.sh [--records N] [--requests N] [--db h2|postgresql|both] [--year Y] [--seed S]
 *                  [--burst N] [--concurrency C]</pre>
 */
public final class WrappedBenchmark {
    private static final String USER = "bench";
    private static final String PG_ADMIN = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");

    public static void main(String[] args) throws Exception {
        int records = 1_000_000;
        int requests = 100;
        String db = "both";
        long seed = 42;
        int burst = 0;
        int concurrency = 20;
        // the generator packs ~175,000 streams into a year from 2013 on: 2015 is a full, heavy one
        int year = 2015;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--db" -> db = args[i + 1];
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--year" -> year = Integer.parseInt(args[i + 1]);
                case "--burst" -> burst = Integer.parseInt(args[i + 1]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("encore-wrapped-bench-");
        List<Path> files = new IntakeBenchmark.ExportGenerator(seed).write(
                Files.createDirectories(work.resolve("export")), records, 0);
        System.out.printf(Locale.ROOT, "%,d generated streams for one user in %d files; %d timed requests per query "
                + "after 10 warm-up requests; java %s, %d cores, -Xmx%dm%n", records, files.size(), requests,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (!db.equals("postgresql")) {
            run("H2", "jdbc:h2:file:" + work.toAbsolutePath().resolve("h2/bench"), "sa", files, requests, year, burst, concurrency);
        }
        if (!db.equals("h2")) {
            try (TestDatabase pg = TestDatabases.postgres(PG_ADMIN, "postgres", "", "encore_bench_")) {
                run("PostgreSQL", pg.url(), pg.user(), files, requests, year, burst, concurrency);
            }
        }
        System.exit(0);
    }

    private static void run(String label, String url, String user, List<Path> files, int requests, int year,
            int burst, int concurrency) throws Exception {
        try (Database database = Database.open(url, user, "", 2)) {
            ExportImporter importer = new ExportImporter(database, new ImportStore(database.dataSource()), ZipLimits.DEFAULT, 1000);
            long t0 = System.nanoTime();
            for (Path f : files) {
                importer.importFile(f, f.getFileName().toString(), USER, "cli");
            }
            System.out.printf(Locale.ROOT, "%n%s: loaded in %.1f s%n", label, (System.nanoTime() - t0) / 1e9);
        }
        int port = EncoreApp.freePort();
        try (EncoreApp app = EncoreApp.start(url, user, Map.of("camel.server.port", Integer.toString(port),
                "encore.local.enabled", "false", "encore.enrich.scheduled", "false"))) {
            if (url.startsWith("jdbc:postgresql")) {
                app.count("SELECT COUNT(*) FROM (SELECT 1 FROM stream LIMIT 1) x"); // connection check
            }
            HttpClient http = HttpClient.newHttpClient();
            // the first request waits for the read of the whole history the start began; later ones reuse it
            long cold = System.nanoTime();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/users/" + USER + "/wrapped?period=year:" + year)).GET().build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "first request after start (the start's read-ahead of the history under way): %.0f ms, status %d%n",
                    (System.nanoTime() - cold) / 1e6, first.statusCode());
            System.out.printf(Locale.ROOT, "%-44s %9s %9s %9s %9s %8s%n", "query", "streams", "p50 ms", "p95 ms", "max ms", "bytes");
            for (String query : List.of("period=year:" + year, "period=wrapped:" + year + "&rank=plays",
                    "from=" + year + "-03-01&to=" + year + "-04-01", "period=year:" + year + "&tz=Asia/Kolkata&limit=50",
                    "period=year:" + (year + 1) + "&tz=America/New_York", "period=all")) {
                String uri = "http://127.0.0.1:" + port + "/api/users/" + USER + "/wrapped?" + query;
                HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).GET().build();
                String body = "";
                for (int i = 0; i < 10; i++) {
                    body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                }
                if (!body.startsWith("{\"user\"")) {
                    throw new IllegalStateException(query + " answered " + body);
                }
                long[] ns = new long[requests];
                for (int i = 0; i < requests; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    ns[i] = System.nanoTime() - start;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(query + " answered " + r.statusCode());
                    }
                }
                Arrays.sort(ns);
                String streams = body.replaceAll("(?s).*?\"totals\":\\{[^}]*\"streams\":(\\d+).*", "$1");
                System.out.printf(Locale.ROOT, "%-44s %9s %9.1f %9.1f %9.1f %8d%n", query, streams,
                        ns[(int) Math.ceil(0.50 * requests) - 1] / 1e6, ns[(int) Math.ceil(0.95 * requests) - 1] / 1e6,
                        ns[requests - 1] / 1e6, body.length());
            }
            afterALoad(app, http, "http://127.0.0.1:" + port + "/api/users/" + USER + "/wrapped?period=year:" + year);
            if (burst > 0) {
                burst(http, "http://127.0.0.1:" + port + "/api/users/" + USER + "/wrapped?from=1926-01-01&to=2026-01-01",
                        burst, concurrency);
            }
        }
    }

    /**
     * One more play loaded through the app's own route, as an inbox file is: the warm step reads the
     * user's new history in the background at once, so the first request after the load waits only
     * for what is left of that read (the first request after the start above paid all of it).
     */
    private static void afterALoad(EncoreApp app, HttpClient http, String uri) throws Exception {
        Path play = Files.writeString(Files.createTempFile("encore-wrapped-bench-", ".json"), """
                [{"ts":"2025-12-31T23:00:00Z","platform":"linux","ms_played":180000,"conn_country":"DE",
                  "master_metadata_track_name":"One more","master_metadata_album_artist_name":"Bench",
                  "master_metadata_album_album_name":"Bench","spotify_track_uri":"spotify:track:0000000000000000000001",
                  "reason_start":"trackdone","reason_end":"trackdone","shuffle":false,"skipped":false,
                  "offline":false,"incognito_mode":false}]""");
        long start = System.nanoTime();
        org.apache.camel.Exchange load = app.camel().createProducerTemplate().request("direct:import-file", ex -> {
            ex.getMessage().setBody(play.toFile());
            ex.getMessage().setHeader(dev.encore.intake.Headers.SOURCE_PATH, play.toString());
            ex.getMessage().setHeader(dev.encore.intake.Headers.SOURCE_KIND, "cli");
            ex.getMessage().setHeader(dev.encore.intake.Headers.USER, USER);
        });
        if (load.getException() != null) {
            throw load.getException();
        }
        long loaded = System.nanoTime();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf(Locale.ROOT, "a load of one play through the routes: %.0f ms; the first request right after it "
                + "(the warm step already reading): %.0f ms, status %d; the next: %.0f ms%n", (loaded - start) / 1e6,
                (answered - loaded) / 1e6, first.statusCode(), (System.nanoTime() - answered) / 1e6);
        if (second.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + second.statusCode());
        }
        Files.delete(play);
    }

    /** The century request alone, then {@code n} of them {@code concurrency} at a time. */
    private static void burst(HttpClient http, String uri, int n, int concurrency) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).GET().build();
        int alone = 20;
        String body = "";
        long t0 = System.nanoTime();
        for (int i = 0; i < alone; i++) {
            body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
        double aloneRate = alone / ((System.nanoTime() - t0) / 1e9);
        System.gc();
        java.util.List<java.lang.management.MemoryPoolMXBean> heap = java.lang.management.ManagementFactory
                .getMemoryPoolMXBeans().stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).toList();
        heap.forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        long before = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.atomic.AtomicInteger> statuses =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
        long t1 = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            done.add(pool.submit(() -> {
                int status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                statuses.computeIfAbsent(status, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - t1) / 1e9;
        pool.shutdown();
        // the pools' peaks are not simultaneous; their sum bounds the heap's peak from above
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        int ok = statuses.getOrDefault(200, new java.util.concurrent.atomic.AtomicInteger()).get();
        System.out.printf(Locale.ROOT, "century answer: %,d bytes; alone %.1f req/s; burst of %,d, %d at a time: "
                + "%.1f s, %.1f answers/s, %.1f 200s/s, statuses %s; heap used %,d MiB before, peak (sum of pools) %,d MiB%n",
                body.length(), aloneRate, n, concurrency, seconds, n / seconds, ok / seconds, statuses,
                before >> 20, peak >> 20);
    }
}
