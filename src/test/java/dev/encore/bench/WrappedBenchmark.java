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
 * <pre>bench/wrapped.sh [--records N] [--requests N] [--db h2|postgresql|both] [--year Y] [--seed S]</pre>
 */
public final class WrappedBenchmark {
    private static final String USER = "bench";
    private static final String PG_ADMIN = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");

    public static void main(String[] args) throws Exception {
        int records = 1_000_000;
        int requests = 100;
        String db = "both";
        long seed = 42;
        // the generator packs ~175,000 streams into a year from 2013 on: 2015 is a full, heavy one
        int year = 2015;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--db" -> db = args[i + 1];
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--year" -> year = Integer.parseInt(args[i + 1]);
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
            run("H2", "jdbc:h2:file:" + work.toAbsolutePath().resolve("h2/bench"), "sa", files, requests, year);
        }
        if (!db.equals("h2")) {
            try (TestDatabase pg = TestDatabases.postgres(PG_ADMIN, "postgres", "", "encore_bench_")) {
                run("PostgreSQL", pg.url(), pg.user(), files, requests, year);
            }
        }
        System.exit(0);
    }

    private static void run(String label, String url, String user, List<Path> files, int requests, int year)
            throws Exception {
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
            // the first request reads the whole history into memory; later ones reuse it
            long cold = System.nanoTime();
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/users/" + USER + "/wrapped?period=year:" + year)).GET().build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "first request after start (reads the whole history): %.0f ms, status %d%n",
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
        }
    }

}
