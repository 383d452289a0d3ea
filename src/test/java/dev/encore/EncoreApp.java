package dev.encore;

import dev.encore.cli.CommandLine;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real application, booted the way {@code java -jar encore.jar serve} boots it (same
 * configuration class, application.properties and routes/), with test overrides on top.
 */
public final class EncoreApp implements AutoCloseable {
    private final Main main;
    private final String dbUrl;
    private final String dbUser;
    private final int httpPort;

    private EncoreApp(Main main, String dbUrl, String dbUser, int httpPort) {
        this.main = main;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.httpPort = httpPort;
    }

    public static EncoreApp start(String dbUrl, String dbUser, Map<String, String> overrides) throws Exception {
        return start(dbUrl, dbUser, overrides, Map.of());
    }

    /**
     * With beans bound before the configuration runs, which then uses them: {@code encoreClock} (a
     * {@link TestClock} for the connect flow's state lifetime and the token store), {@code userTokens},
     * {@code liveClock}.
     */
    public static EncoreApp start(String dbUrl, String dbUser, Map<String, String> overrides, Map<String, Object> beans)
            throws Exception {
        Main main = Encore.newMain(CommandLine.parse("serve", "--db", dbUrl));
        beans.forEach(main::bind);
        main.addOverrideProperty("encore.db.user", dbUser);
        main.addOverrideProperty("camel.management.enabled", "false");
        // Quartz keeps schedulers by name JVM-wide: each app of a test JVM is a cluster of its own
        main.addOverrideProperty("encore.scheduler.name", "encore-test-" + java.util.UUID.randomUUID());
        // the hourly extraction only where a test asks for it (it needs connected users)
        main.addOverrideProperty("encore.live.enabled", "false");
        // the curated zone (into ./lake unless told otherwise) only where a test asks for it
        main.addOverrideProperty("encore.curated.enabled", "false");
        // the API's port: a free one, so apps of different tests (or anything on 8080) never collide
        int port = overrides.containsKey("camel.server.port") ? Integer.parseInt(overrides.get("camel.server.port")) : freePort();
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        overrides.forEach(main::addOverrideProperty);
        beans.forEach(main::bind);
        main.start();
        return new EncoreApp(main, dbUrl, dbUser, port);
    }

    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** The dashboard and API: {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    /** The number a counting query returns; unchecked, so it also serves inside Awaitility conditions. */
    public long count(String sql, Object... parameters) {
        return TestDatabases.count(dbUrl, dbUser, sql, parameters);
    }

    @Override
    public void close() {
        main.stop();
    }
}
