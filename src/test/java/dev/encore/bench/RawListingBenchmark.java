package dev.encore.bench;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.lake.RawClaims;
import dev.encore.lake.RawLakeListing;
import dev.encore.store.Database;
import dev.encore.store.FileClaimRepository;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * What one poll of the local raw zone costs as the lake grows (docs/raw-zone.md, "Listing cost"):
 * N raw files already loaded, spread over D days of dated folders, listed by Camel's file
 * consumer (1) as raw-intake-local does, its first listing after start and the windowed ones
 * after, and (2) naively: every file an exchange whose database claim says "already loaded".
 *
 * <pre>bench/raw-listing.sh [--files 50000] [--days 365] [--polls 3]</pre>
 */
public final class RawListingBenchmark {
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FETCHED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        int files = 50_000;
        int days = 365;
        int polls = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[i + 1]);
                case "--days" -> days = Integer.parseInt(args[i + 1]);
                case "--polls" -> polls = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path lake = Files.createTempDirectory("raw-listing-bench");
        TestDatabase db = TestDatabases.h2();
        try (Database database = Database.open(db.url(), db.user(), "", 4)) {
            FileClaimRepository claims = new FileClaimRepository(database.dataSource(), Duration.ofMinutes(30), Clock.systemUTC());
            long t0 = System.nanoTime();
            Instant now = Instant.now();
            for (int i = 0; i < files; i++) {
                Instant fetched = now.minus(Duration.ofDays(i % days)).minusSeconds(3600L * (i % 24) + i % 3600);
                String rel = "raw/spotify/recently-played/user" + (i % 4) + "/" + FOLDER.format(fetched) + "/"
                        + FETCHED.format(fetched) + ".json";
                Path p = lake.resolve(rel);
                Files.createDirectories(p.getParent());
                Files.writeString(p, "{}");
                String key = "raw:" + rel;
                claims.add(key);
                claims.confirm(key);
            }
            System.out.printf("%,d raw files over %d days written and claimed in %.1f s%n", files, days, (System.nanoTime() - t0) / 1e9);

            RawClaims raw = new RawClaims(claims);
            Timed listing = new Timed(new RawLakeListing(raw, 2, "", Clock.systemUTC()));
            measure("Encore (filter + in-memory claims, windowed after the first poll)", lake, listing, false, claims, polls + 1);
            measure("naive (each file an exchange, claimed in the database)", lake, new Timed(null), true, claims, Math.min(polls, 2));
        } finally {
            db.close();
            try (var walk = Files.walk(lake)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static void measure(String name, Path lake, Timed strategy, boolean naive, FileClaimRepository claims, int polls)
            throws Exception {
        AtomicInteger exchanges = new AtomicInteger();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("strategy", strategy);
            camel.getRegistry().bind("claims", claims);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    String uri = "file:" + lake + "?recursive=true&noop=true&idempotent=false&readLock=none&autoCreate=false"
                            + "&sortBy=file:name&delay=10&pollStrategy=#strategy" + (naive ? "" : "&filter=#strategy");
                    if (naive) {
                        from(uri).idempotentConsumer(simple("raw:${header.CamelFileName}"), claims)
                                .process(e -> exchanges.incrementAndGet());
                    } else {
                        from(uri).process(e -> exchanges.incrementAndGet());
                    }
                }
            });
            camel.start();
            while (strategy.durations.size() < polls) {
                Thread.sleep(50);
            }
            camel.stop();
        }
        List<String> ms = new ArrayList<>();
        strategy.durations.subList(0, polls).forEach(d -> ms.add(String.format("%,d ms", d / 1_000_000)));
        System.out.printf("%-72s polls: %s; exchanges: %,d%n", name, String.join(", ", ms), exchanges.get());
    }

    /** Times each poll, from its begin to its commit; filters through the real listing when there is one. */
    private static final class Timed implements GenericFileFilter<File>, PollingConsumerPollStrategy {
        private final RawLakeListing listing;
        final List<Long> durations = new CopyOnWriteArrayList<>();
        private long started;

        Timed(RawLakeListing listing) {
            this.listing = listing;
        }

        @Override
        public boolean accept(GenericFile<File> file) {
            return listing == null || listing.accept(file);
        }

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            started = System.nanoTime();
            return true;
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            durations.add(System.nanoTime() - started);
            if (listing != null) {
                listing.commit(consumer, endpoint, polledMessages);
            }
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
            durations.add(System.nanoTime() - started);
            return false;
        }
    }
}
