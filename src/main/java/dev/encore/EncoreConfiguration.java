package dev.encore;

import com.azure.storage.file.datalake.DataLakeServiceClient;
import dev.encore.access.AccessApi;
import dev.encore.access.AccessGate;
import dev.encore.access.AccessPolicy;
import dev.encore.access.Accounts;
import dev.encore.access.AdminBootstrap;
import dev.encore.access.ApiTokens;
import dev.encore.access.ManagementGate;
import dev.encore.access.PasswordHasher;
import dev.encore.access.SignInThrottle;
import dev.encore.access.WebSessions;
import dev.encore.connect.ConnectFlow;
import dev.encore.connect.ConnectionsApi;
import dev.encore.connect.SecretKeys;
import dev.encore.connect.SpotifyConnections;
import dev.encore.connect.TokenCipher;
import dev.encore.export.ZipLimits;
import dev.encore.insights.ApiHttpEngine;
import dev.encore.insights.DashboardAssets;
import dev.encore.insights.InsightsApi;
import dev.encore.insights.InsightsStore;
import dev.encore.insights.ListeningRules;
import dev.encore.insights.ReportingZones;
import dev.encore.curated.AdlsCuratedLake;
import dev.encore.curated.CuratedHealthCheck;
import dev.encore.curated.CuratedLake;
import dev.encore.curated.CuratedStatus;
import dev.encore.curated.CuratedZone;
import dev.encore.curated.LocalCuratedLake;
import dev.encore.curated.UserExport;
import dev.encore.intake.AdlsClientFactory;
import dev.encore.intake.AdlsDownloads;
import dev.encore.intake.AdlsFileMover;
import dev.encore.intake.ExportImporter;
import dev.encore.intake.ImportFileProcessor;
import dev.encore.intake.LocalFileMover;
import dev.encore.intake.SourceUsers;
import dev.encore.lake.RawClaims;
import dev.encore.lake.RawFileLoader;
import dev.encore.lake.RawIntake;
import dev.encore.lake.RawLakeListing;
import dev.encore.store.ArtistFirstStreams;
import dev.encore.store.ListeningGaps;
import dev.encore.store.PlayReconciler;
import dev.encore.store.Database;
import dev.encore.store.Dialect;
import dev.encore.store.FileClaimRepository;
import dev.encore.store.InterruptedRuns;
import dev.encore.store.ImportStore;
import dev.encore.store.CatalogueStore;
import dev.encore.monitoring.EncoreStatus;
import dev.encore.musicbrainz.MusicBrainzGenres;
import dev.encore.spotify.AccessTokens;
import dev.encore.spotify.ApiMode;
import dev.encore.spotify.EnrichmentPlanner;
import dev.encore.spotify.EnrichmentStats;
import dev.encore.spotify.SpotifyAnswers;
import dev.encore.spotify.SpotifyFailures;
import dev.encore.spotify.SpotifyPause;
import dev.encore.store.QuartzJobStore;
import dev.encore.connect.UserTokens;
import dev.encore.lake.AdlsRawZone;
import dev.encore.lake.LocalRawZone;
import dev.encore.lake.RawZone;
import dev.encore.live.LiveCursors;
import dev.encore.live.LiveExtraction;
import dev.encore.live.LiveStats;
import dev.encore.live.LiveTicks;
import java.lang.management.ManagementFactory;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.component.sql.SqlComponent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Processor;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Binds the beans the YAML routes refer to ({@code ref: importFile}, {@code #adlsClient}, ...),
 * built from {@code application.properties}. The graph is wired here by hand so that each bean
 * (above all the connection pool) exists exactly once.
 */
public class EncoreConfiguration implements CamelConfiguration {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EncoreConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent p = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        java.util.List<ServerAddresses.Server> servers = ServerAddresses.configured(p);
        ServerAddresses.checkFree(servers);
        context.addStartupListener((camel, alreadyStarted) -> servers.forEach(s -> LOG.info("Listening: {} at {}",
                s.purpose(), s.purpose().startsWith("the management")
                        ? s.url("/observe/health") + ", " + s.url("/observe/metrics") + ", " + s.url("/observe/jolokia")
                        : s.url("/"))));

        Database database = Database.open(text(p, "encore.db.url"), text(p, "encore.db.user"),
                text(p, "encore.db.password"), integer(p, "encore.db.pool-size"));
        // close the pool (and so the H2 file) when Camel stops
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                database.close();
            }
        }, true, true);
        registry.bind("database", database);
        // the SQL steps of the routes (sql:classpath:sql/...) and the clustered schedules use the same pool
        context.getComponent("sql", SqlComponent.class).setDataSource(database.dataSource());
        // applied when a route first uses quartz: one-shot commands leave the scheduled routes out, so
        // they never build a scheduler (its job store and its shutdown cost a third of a second)
        registry.bind("quartzJobStore", ComponentCustomizer.forType(QuartzComponent.class, quartz -> {
            quartz.setSchedulerFactory(QuartzJobStore.factory(database, text(p, "encore.scheduler.name"),
                    text(p, "encore.scheduler.instance-id"), number(p, "encore.scheduler.cluster-checkin-ms")));
            // a server or test with its schedules off needs no scheduler threads and no cluster check-ins
            quartz.setAutoStartScheduler(Boolean.parseBoolean(text(p, "encore.enrich.scheduled"))
                    || Boolean.parseBoolean(text(p, "encore.live.enabled")));
        }));

        ImportStore store = new ImportStore(database.dataSource());
        registry.bind("importStore", store);
        // runs an earlier start of this host left 'running' when it was killed will never finish
        new InterruptedRuns(database.dataSource(), Clock.systemUTC()).markRunsOfEndedStarts();
        // importFile is bound in bindRawIntake: exports reconcile with polled plays
        FileClaimRepository claims = new FileClaimRepository(database.dataSource(),
                Duration.ofMinutes(number(p, "encore.claims.lease-minutes")), Clock.systemUTC());
        registry.bind("fileClaims", claims);
        registry.bind("sourceUsers", new SourceUsers(text(p, "encore.default-user")));
        registry.bind("localFileMover", new LocalFileMover(Path.of(text(p, "encore.inbox.dir")), claims));
        bindRawIntake(p, registry, database, store, claims);

        CatalogueStore catalogue = new CatalogueStore(database.dataSource());
        registry.bind("catalogueStore", catalogue);
        // Camel's Prometheus endpoint (/observe/metrics) takes the registry bound under this name
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind("metricsRegistry", metrics);
        SpotifyPause pause = bindEnrichment(p, registry, catalogue, metrics);
        registry.bind("musicBrainzGenres", new MusicBrainzGenres(catalogue));
        // HttpClient would honour a 429's Retry-After by sleeping in the calling thread (a day, if
        // Spotify says so) and retry 5xx on its own; Encore's routes decide both instead.
        registry.bind("spotifyHttpClient", (HttpClientConfigurer) HttpClientBuilder::disableAutomaticRetries);

        boolean adlsEnabled = Boolean.parseBoolean(text(p, "encore.adls.enabled"));
        // a disabled lake's routes still refer to a client; `encore import` leaves those routes out,
        // and building even an unconfigured client costs it most of a second (Encore.newImportMain)
        DataLakeServiceClient adls = adlsEnabled || !"false".equals(p.resolveProperty("encore.adls.placeholder-client").orElse("true"))
                ? AdlsClientFactory.create(adlsEnabled,
                        text(p, "encore.adls.account-name"), text(p, "encore.adls.endpoint"), text(p, "encore.adls.auth"),
                        text(p, "encore.adls.account-key"), text(p, "encore.adls.sas-token"), text(p, "encore.adls.tenant-id"),
                        text(p, "encore.adls.client-id"), text(p, "encore.adls.client-secret"))
                : null;
        if (adls != null) {
            registry.bind("adlsClient", adls);
        }
        registry.bind("adlsDownloads", new AdlsDownloads(Path.of(text(p, "encore.adls.download-dir")),
                Duration.ofMillis(number(p, "encore.adls.settle-ms")), Clock.systemUTC()));
        registry.bind("adlsFileMover", new AdlsFileMover(adls, text(p, "encore.adls.filesystem"),
                text(p, "encore.adls.processed-dir"), text(p, "encore.adls.skipped-dir"), text(p, "encore.adls.rejected-dir")));
        // connected accounts: the connect flow stores them, the hourly extraction polls them
        SpotifyConnections connections = bindConnect(p, registry, database, clock(registry));
        bindLiveExtraction(context, p, registry, database, adls, pause, metrics, connections);

        // a database from before artist_first_stream existed gets it filled once
        ArtistFirstStreams.backfillIfEmpty(database.dataSource());
        ReportingZones zones = new ReportingZones(database.dataSource(),
                ReportingZones.parse(text(p, "encore.default-time-zone"), "encore.default-time-zone"));
        // the default zone may have changed while Encore was down: the BI views follow it
        zones.ensureAll();
        registry.bind("reportingZones", zones);
        ListeningRules rules = new ListeningRules(integer(p, "encore.insights.min-play-ms"),
                Set.of(text(p, "encore.insights.music-kinds").split("\\s*,\\s*")),
                Boolean.parseBoolean(text(p, "encore.insights.include-incognito")));
        registry.bind("wrappedSlots", new dev.encore.insights.WrappedSlots(integer(p, "encore.insights.max-running"),
                integer(p, "encore.insights.max-waiting")));
        InsightsStore insights = new InsightsStore(database.dataSource(), number(p, "encore.insights.cache-max-streams"));
        dev.encore.insights.HistoryWarmer warmer = new dev.encore.insights.HistoryWarmer(insights);
        registry.bind("historyWarmer", warmer); // import-file.camel.yaml
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                warmer.close();
            }
        }, true, true);
        registry.bind("insightsApi", new InsightsApi(insights, zones, rules,
                Clock.systemUTC(), (dev.encore.insights.WrappedSlots) registry.lookupByName("wrappedSlots")));
        registry.bind("gapsApi", new dev.encore.insights.GapsApi(
                (ListeningGaps) registry.lookupByName("listeningGaps"), zones));
        bindCuratedZone(p, registry, database, adls, zones, metrics);
        if (!"false".equals(p.resolveProperty("camel.main.jmx-enabled").orElse("true"))) {
            registerStatus(context, database);
        }
        registry.bind("dashboardAssets", new DashboardAssets());
        registry.bind("platform-http-engine", new ApiHttpEngine(integer(p, "camel.server.port"),
                bindAccess(context, p, registry, database)));
    }

    /**
     * Who may use the two servers (docs/access.md): the accounts, sessions and API tokens, the gate
     * in front of every route of the dashboard and API server (the answer), and the one in front
     * of metrics and Jolokia on the management server.
     */
    private static AccessGate bindAccess(CamelContext context, PropertiesComponent p, Registry registry, Database database)
            throws Exception {
        AccessPolicy policy = AccessPolicy.decide(text(p, "encore.auth.required"), text(p, "encore.http.host"),
                text(p, "encore.management.host"));
        Clock clock = clock(registry);
        Accounts accounts = new Accounts(database.dataSource(), new PasswordHasher(integer(p, "encore.auth.password-iterations")),
                clock);
        WebSessions sessions = new WebSessions(database.dataSource(), clock,
                Duration.ofHours(number(p, "encore.auth.session-idle-hours")),
                Duration.ofHours(number(p, "encore.auth.session-lifetime-hours")));
        ApiTokens tokens = new ApiTokens(database.dataSource(), clock);
        java.util.function.Supplier<SignInThrottle> throttles = () -> new SignInThrottle(integer(p, "encore.auth.max-failures"),
                Duration.ofMinutes(number(p, "encore.auth.failure-window-minutes")), clock);
        SignInThrottle throttle = throttles.get();
        registry.bind("accounts", accounts);
        registry.bind("accessApi", new AccessApi(policy, accounts, sessions, tokens, throttle));
        AdminBootstrap.fromSettings(text(p, "encore.auth.admin-user"), text(p, "encore.auth.admin-password"),
                text(p, "encore.auth.admin-password-file")).ensure(accounts);
        if (!Boolean.parseBoolean(text(p, "camel.server.enabled"))) {
            // a one-shot command serves no one: nothing to say about sign-in, no accounts to count at its start
            LOG.debug("Sign-in: no HTTP server in this command");
        } else if (policy.required()) {
            int count = accounts.list().size();
            LOG.info("Sign-in is required: {}. {} account(s).", policy.why(), count);
            if (count == 0) {
                LOG.warn("No one can sign in yet: set ENCORE_ADMIN_PASSWORD (the admin's first password) and restart, "
                        + "or run: encore account add NAME --admin");
            }
        } else {
            LOG.info("Sign-in is off: {}, so Encore is open to whoever uses this machine, as its single local user. "
                    + "Listening beyond loopback requires sign-in (docs/access.md).", policy.why());
        }
        // a throttle of its own: five wrong guesses at the sign-in page must not lock the admin out of Hawtio
        ManagementGate.installOn(context, new ManagementGate(policy, accounts, tokens, throttles.get(), clock));
        return new AccessGate(policy, sessions, tokens);
    }

    /**
     * The lake's curated zone (routes/curated-zone.camel.yaml, docs/curated-zone.md): beside the raw
     * zone, local or in ADLS; its health check and figures; and {@code encore export}'s writer.
     */
    private static void bindCuratedZone(PropertiesComponent p, Registry registry, Database database,
            DataLakeServiceClient adls, ReportingZones zones, PrometheusMeterRegistry metrics) {
        Path scratch = Path.of(text(p, "encore.curated.scratch-dir"));
        CuratedLake lake = Boolean.parseBoolean(text(p, "encore.adls.enabled"))
                ? new AdlsCuratedLake(adls, text(p, "encore.adls.filesystem"), text(p, "encore.lake.root"), scratch)
                : new LocalCuratedLake(Path.of(text(p, "encore.lake.dir")));
        CuratedStatus status = new CuratedStatus(metrics);
        String memory = text(p, "encore.curated.memory-limit");
        registry.bind("curatedStatus", status);
        registry.bind("curatedZone", new CuratedZone(database, lake, zones, status, Clock.systemUTC(),
                Duration.ofMillis(number(p, "encore.curated.retry-ms")), memory, scratch));
        registry.bind("curatedHealthCheck", new CuratedHealthCheck(status));
        registry.bind("userExport", new UserExport(database, zones, memory, scratch));
    }

    /** Encore's figures as JMX attributes (Hawtio, over Jolokia), for as long as Camel runs. */
    private static void registerStatus(CamelContext context, Database database) throws Exception {
        AutoCloseable registration = new EncoreStatus(database.dataSource(),
                context.getRegistry().lookupByNameAndType("enrichmentStats", EnrichmentStats.class),
                context.getRegistry().lookupByNameAndType("spotifyPause", SpotifyPause.class),
                context.getRegistry().lookupByNameAndType("curatedStatus", CuratedStatus.class)).register();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                registration.close();
            }
        }, true, true);
    }

    /**
     * Connected Spotify accounts (docs/connect.md): the token store the hourly extraction uses
     * ({@code userTokens}), the connect flow's steps and the API's part. The callback's path comes
     * from the redirect URI, so the two can never disagree.
     */
    private static SpotifyConnections bindConnect(PropertiesComponent p, Registry registry, Database database, Clock clock) {
        String redirectUri = text(p, "encore.spotify.redirect-uri");
        p.addOverrideProperty("encore.spotify.callback-path", ConnectFlow.callbackPath(redirectUri));
        TokenCipher cipher = new TokenCipher(SecretKeys.source(text(p, "encore.secret-key"),
                Path.of(text(p, "encore.secret-key-file")), database.dialect() == Dialect.H2));
        String clientId = text(p, "encore.spotify.client-id");
        String accounts = text(p, "encore.spotify.accounts-base-url");
        SpotifyConnections connections = new SpotifyConnections(database.dataSource(), cipher, accounts, clientId, clock);
        registry.bind("spotifyConnections", connections);
        registry.bind("connectFlow", new ConnectFlow(connections, database.dataSource(), cipher, clientId, accounts,
                redirectUri, clock));
        registry.bind("connectionsApi", new ConnectionsApi(connections));
        return connections;
    }

    /** The clock of the connect flow and the token store: a test binds its own as {@code encoreClock}. */
    private static Clock clock(Registry registry) {
        Clock bound = registry.lookupByNameAndType("encoreClock", Clock.class);
        return bound != null ? bound : Clock.systemUTC();
    }

    /**
     * The hourly extraction (routes/live-extraction.camel.yaml, docs/live.md), polling the
     * connected accounts. A {@code userTokens} or a {@code liveClock} bound before this runs (an
     * embedding program, a test) is used as it is.
     */
    private static void bindLiveExtraction(CamelContext context, PropertiesComponent p, Registry registry, Database database,
            DataLakeServiceClient adls, SpotifyPause pause, PrometheusMeterRegistry metrics, UserTokens connections) {
        UserTokens userTokens = registry.lookupByNameAndType("userTokens", UserTokens.class);
        if (userTokens == null) {
            userTokens = connections;
            registry.bind("userTokens", userTokens);
        }
        Clock clock = registry.lookupByNameAndType("liveClock", Clock.class);
        clock = clock == null ? Clock.systemUTC() : clock;
        String instance = text(p, "encore.scheduler.instance-id");
        String claimant = instance.equalsIgnoreCase("AUTO")
                ? ManagementFactory.getRuntimeMXBean().getName() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8)
                : instance;
        LiveTicks ticks = new LiveTicks(database.dataSource(), userTokens, clock,
                Duration.ofMinutes(number(p, "encore.live.lease-minutes")), integer(p, "encore.live.daily-call-budget"), claimant);
        RawZone lake = Boolean.parseBoolean(text(p, "encore.adls.enabled"))
                ? new AdlsRawZone(adls, text(p, "encore.adls.filesystem"), text(p, "encore.lake.root"))
                : new LocalRawZone(Path.of(text(p, "encore.lake.dir")));
        LiveStats stats = new LiveStats(metrics);
        int concurrency = integer(p, "encore.live.concurrency");
        if (concurrency < 1) {
            throw new IllegalStateException("encore.live.concurrency must be at least 1, not " + concurrency);
        }
        registry.bind("liveTicks", ticks);
        registry.bind("liveStats", stats);
        registry.bind("liveExtraction", new LiveExtraction(ticks, new LiveCursors(database.dataSource(), clock), userTokens,
                lake, pause, stats, clock, Duration.ofHours(number(p, "encore.live.top-interval-hours")),
                Duration.ofHours(number(p, "encore.live.library-interval-hours")), concurrency));
        // a call's outcome is in the poll (the exchange property); a failure the error handler dealt with must not end the poll
        registry.bind("liveCallOutcome", new org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy());
        registry.bind("liveWorkerPool", context.getExecutorServiceManager().newFixedThreadPool(
                EncoreConfiguration.class, "live-worker", concurrency));
    }

    /** Raw zone -> SQL (routes/raw-intake.camel.yaml): the loader, the claims with their cache, the listing's window. */
    private static void bindRawIntake(PropertiesComponent p, Registry registry, Database database, ImportStore store,
            FileClaimRepository claims) {
        PlayReconciler reconciler = new PlayReconciler(Duration.ofSeconds(number(p, "encore.raw.match-tolerance-seconds")));
        ListeningGaps gaps = new ListeningGaps(database.dataSource(), Clock.systemUTC());
        registry.bind("listeningGaps", gaps);
        registry.bind("rawIntake", new RawIntake(new RawFileLoader(database, store, reconciler, gaps)));
        RawClaims rawClaims = new RawClaims(claims);
        registry.bind("rawClaims", rawClaims);
        int windowDays = integer(p, "encore.raw.window-days");
        if (windowDays < 1) { // a file fetched before midnight and listed after it must still be in the window
            throw new IllegalStateException("encore.raw.window-days must be 1 or more, not " + windowDays);
        }
        registry.bind("rawLakeListing", new RawLakeListing(rawClaims, windowDays, text(p, "encore.lake.root"), Clock.systemUTC()));
        // exports reconcile with polled plays by the same rule
        ZipLimits limits = new ZipLimits(number(p, "encore.zip.max-entry-bytes"), number(p, "encore.zip.max-total-bytes"),
                integer(p, "encore.zip.max-ratio"), integer(p, "encore.zip.max-entries"));
        registry.bind("importFile", new ImportFileProcessor(new ExportImporter(database, store, limits,
                integer(p, "encore.import.batch-size"), reconciler, gaps)));
    }

    /** The enrichment beans: a planner, an answer mapper and a failure policy around one pause and one tally. */
    private static SpotifyPause bindEnrichment(PropertiesComponent p, Registry registry, CatalogueStore store,
            PrometheusMeterRegistry metrics) {
        String clientId = text(p, "encore.spotify.client-id");
        String modeName = text(p, "encore.spotify.api-mode").toUpperCase(java.util.Locale.ROOT);
        ApiMode mode;
        try {
            mode = ApiMode.valueOf(modeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("encore.spotify.api-mode must be batch, single or auto, not '" + modeName + "'");
        }
        AccessTokens tokens = null;
        if (clientId.isEmpty()) {
            LOG.warn("Enrichment is off: no Spotify client id. Set ENCORE_SPOTIFY_CLIENT_ID and "
                    + "ENCORE_SPOTIFY_CLIENT_SECRET to describe tracks, albums and artists.");
        } else {
            tokens = new AccessTokens(text(p, "encore.spotify.accounts-base-url"), clientId,
                    text(p, "encore.spotify.client-secret"), Clock.systemUTC());
        }
        SpotifyPause pause = new SpotifyPause(store, Clock.systemUTC());
        EnrichmentStats stats = new EnrichmentStats(metrics, tokens, pause);
        SpotifyFailures failures = new SpotifyFailures(store, tokens, mode, pause, stats);
        registry.bind("enrichmentStats", stats);
        registry.bind("enrichmentPlanner", new EnrichmentPlanner(store, tokens, mode, pause, stats, metrics));
        registry.bind("spotifyAnswers", new SpotifyAnswers(store, stats));
        registry.bind("spotifyFailures", failures);
        registry.bind("spotifyPause", pause);
        registry.bind("spotifyTokenRenewal", (Processor) failures::renewToken);
        registry.bind("spotifyRetry", (Processor) failures::retrying);
        return pause;
    }

    private static String text(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim)
                .orElseThrow(() -> new IllegalStateException("Missing configuration key " + key));
    }

    private static int integer(PropertiesComponent p, String key) {
        return Math.toIntExact(number(p, key));
    }

    private static long number(PropertiesComponent p, String key) {
        String value = text(p, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " must be a whole number, not '" + value + "'");
        }
    }
}
