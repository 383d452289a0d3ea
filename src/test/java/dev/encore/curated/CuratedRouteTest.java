package dev.encore.curated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.EncoreApp;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curated-zone route in the running application: a file dropped in the inbox ends up in the lake as Parquet. */
class CuratedRouteTest {
    @TempDir
    Path tmp;
    private TestDatabase db;
    private EncoreApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private EncoreApp serve(String enabled) throws Exception {
        db = TestDatabases.h2();
        Map<String, String> o = new HashMap<>(Map.of("encore.inbox.dir", tmp.resolve("inbox").toString(),
                "encore.inbox.poll-interval-ms", "200", "encore.inbox.settle-ms", "300",
                "encore.enrich.scheduled", "false", "encore.lake.dir", tmp.resolve("lake").toString(),
                "encore.curated.enabled", enabled, "encore.curated.interval-ms", "200",
                "encore.curated.scratch-dir", tmp.resolve("scratch").toString()));
        return EncoreApp.start(db.url(), db.user(), o);
    }

    private void drop(Path sample, String user) throws Exception {
        Path staged = tmp.resolve("staging").resolve(sample.getFileName());
        Files.createDirectories(staged.getParent());
        Files.copy(sample, staged);
        Path target = tmp.resolve("inbox").resolve(user).resolve(sample.getFileName());
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aLoadedExportReachesTheLakeAndHealthSaysSo() throws Exception {
        app = serve("true");
        Path sample = Samples.file("zulkifalkhan889", "Streaming_History_Audio_2024-2025.json");
        drop(sample, "zul");

        Path streams = tmp.resolve("lake/curated/streams/user=zul");
        await().atMost(Duration.ofMinutes(2)).until(() -> app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'") > 0
                && app.count("SELECT COUNT(*) FROM curated_partition WHERE user_id = 'zul' AND table_name = 'streams'")
                == app.count("SELECT COUNT(DISTINCT " + "EXTRACT(YEAR FROM ts_utc) * 100 + EXTRACT(MONTH FROM ts_utc)"
                + ") FROM stream WHERE user_id = 'zul'"));
        long rows = 0;
        try (var files = Files.walk(streams)) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals(CuratedPaths.FILE)).toList()) {
                rows += ParquetRows.read(p).size();
            }
        }
        assertThat(rows).isEqualTo(app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'zul'"));

        // the route's own steps (the log line after a pass that wrote) never fail
        var route = app.camel().getCamelContextExtension().getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class)
                .getManagedRoute("curated-zone");
        await().atMost(Duration.ofMinutes(1)).until(() -> route.getExchangesCompleted() > 1);
        assertThat(route.getExchangesFailed()).isZero();

        Collection<HealthCheck.Result> health = HealthCheckHelper.invoke(app.camel());
        assertThat(health).filteredOn(r -> r.getCheck().getId().equals("curated-zone")).singleElement()
                .satisfies(r -> assertThat(r.getState()).isEqualTo(HealthCheck.State.UP));
    }

    @Test
    void anOperatorCanSwitchItOff() throws Exception {
        app = serve("false");
        assertThat(app.camel().getRouteController().getRouteStatus("curated-zone")).isEqualTo(ServiceStatus.Stopped);
        drop(Samples.file("efrrowini", "Streaming_History_Audio_2022.json"), "erin");
        await().atMost(Duration.ofMinutes(2)).until(() -> app.count("SELECT COUNT(*) FROM import_run WHERE status = 'loaded'") > 0);
        assertThat(tmp.resolve("lake/curated")).doesNotExist();
    }
}
