package dev.encore.access;

import dev.encore.EncoreApp;
import dev.encore.Samples;
import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The real application with sign-in required, on each database kind: two listeners with their
 * real sample exports (ann, bob), their accounts and an admin's, and the management server.
 * Shared by the access tests of a run; each test signs in afresh.
 */
final class AccessFixture {
    static final String PASSWORD = "correct horse battery";
    private static final Map<String, AccessFixture> RUNNING = new HashMap<>();

    final TestDatabase db;
    final EncoreApp app;
    final TestClock clock;
    final String managementUrl;
    final Accounts accounts;

    private AccessFixture(TestDatabase db, EncoreApp app, TestClock clock, String managementUrl) {
        this.db = db;
        this.app = app;
        this.clock = clock;
        this.managementUrl = managementUrl;
        this.accounts = app.camel().getRegistry().lookupByNameAndType("accounts", Accounts.class);
    }

    static synchronized AccessFixture on(String kind) throws Exception {
        AccessFixture running = RUNNING.get(kind);
        if (running == null) {
            running = start(kind);
            RUNNING.put(kind, running);
            AccessFixture stopping = running;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.app.close();
                stopping.db.close();
            }));
        }
        return running;
    }

    private static AccessFixture start(String kind) throws Exception {
        TestDatabase db = TestDatabases.create(kind);
        TestClock clock = new TestClock(Instant.parse("2026-06-01T10:00:00Z"));
        int management = EncoreApp.freePort();
        EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of(
                "encore.auth.required", "true",
                "encore.auth.password-iterations", "1000",
                "encore.auth.admin-password", "admin password 1",
                "camel.management.enabled", "true",
                "camel.management.port", Integer.toString(management),
                "encore.local.enabled", "false",
                "encore.enrich.scheduled", "false"), Map.of("encoreClock", clock));
        AccessFixture f = new AccessFixture(db, app, clock, "http://127.0.0.1:" + management);
        f.load("ann", "c3988169", "Streaming_History_Audio_2024-2025.json");
        f.load("bob", "lshatkin", "endsong_2.json");
        f.accounts.create("ann", PASSWORD, false);
        f.accounts.create("bob", PASSWORD, false);
        return f;
    }

    private void load(String user, String sample, String file) {
        app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file", Samples.file(sample, file).toFile(),
                Map.of("EncoreSourcePath", file, "EncoreSourceKind", "cli", "EncoreUser", user));
    }

    String baseUrl() {
        return app.baseUrl();
    }

    Visitor visitor() {
        return new Visitor(app.baseUrl());
    }

    Visitor signedIn(String user, String password) throws Exception {
        Visitor v = visitor();
        Visitor.Answer a = v.signIn(user, password);
        if (a.status() != 200) {
            throw new AssertionError(user + " could not sign in: " + a.status() + " " + a.body());
        }
        return v;
    }

    Visitor signedIn(String user) throws Exception {
        return signedIn(user, user.equals("admin") ? "admin password 1" : PASSWORD);
    }
}
