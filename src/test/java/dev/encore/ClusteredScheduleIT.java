package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.encore.TestDatabases.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the packaged app (`java -jar target/encore.jar`, each its own process) on one
 * PostgreSQL database share the enrichment schedule through Quartz's clustered job store: every
 * tick fires on exactly one of them, and when one dies (kill -9) the other fires the ticks.
 */
class ClusteredScheduleIT {
    @TempDir
    Path workDir;
    private TestDatabase db;
    private final List<Process> replicas = new ArrayList<>();

    record Tick(String scheduledAt, String instance) {
    }

    @Test
    void eachTickFiresOnOneReplicaAndTheSurvivorTakesOver() throws Exception {
        db = TestDatabases.create("postgresql");
        Process first = replica("replica-a");
        await("the first replica's ticks").atMost(Duration.ofMinutes(2)).until(() -> ticks().size() >= 3);
        replica("replica-b");
        int bothRunning = ticks().size();
        await("ticks while both replicas run").atMost(Duration.ofMinutes(2)).until(() -> ticks().size() >= bothRunning + 8);
        assertThat(duplicateTicks()).as("a tick fired twice").isEmpty();

        first.destroyForcibly().waitFor();
        String lastOfFirst = ticks().stream().filter(t -> t.instance().equals("replica-a"))
                .map(Tick::scheduledAt).max(String::compareTo).orElseThrow();
        await("the second replica fires after the first died").atMost(Duration.ofMinutes(2))
                .until(() -> ticks().stream().filter(t -> t.scheduledAt().compareTo(lastOfFirst) > 0).count() >= 4);

        List<Tick> after = ticks().stream().filter(t -> t.scheduledAt().compareTo(lastOfFirst) > 0).toList();
        assertThat(after).extracting(Tick::instance).containsOnly("replica-b");
        assertThat(duplicateTicks()).as("a tick fired twice").isEmpty();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : replicas) {
            p.destroyForcibly().waitFor();
        }
        if (db != null) {
            db.close();
        }
    }

    /** A replica of the packaged app, returned once it serves HTTP (its routes and schedules have started). */
    private Process replica(String name) throws Exception {
        Path log = workDir.resolve(name + ".log");
        Path dir = Files.createDirectories(workDir.resolve(name));
        int port = EncoreApp.freePort();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dencore.enrich.cron=0/1 * * * * ?", "-Dencore.scheduler.instance-id=" + name,
                "-Dencore.scheduler.cluster-checkin-ms=1000", "-Dencore.local.enabled=false",
                "-Dcamel.management.enabled=false", "-Dencore.db.user=" + db.user(),
                "-jar", System.getProperty("encore.jar"), "serve", "--db", db.url(),
                "--port", Integer.toString(port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        replicas.add(p);
        HttpClient http = HttpClient.newHttpClient();
        await(name + " serving").atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/users")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return p;
    }

    private List<Tick> ticks() throws Exception {
        List<Tick> ticks = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_name = 'scheduled_run'").next()) {
                return ticks; // the first replica is still migrating the schema
            }
            try (ResultSet rs = st.executeQuery("SELECT CAST(scheduled_at AS VARCHAR), instance_id FROM scheduled_run "
                    + "WHERE job_name = 'enrichment' ORDER BY scheduled_at")) {
                while (rs.next()) {
                    ticks.add(new Tick(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return ticks;
    }

    private List<String> duplicateTicks() throws Exception {
        List<String> twice = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CAST(scheduled_at AS VARCHAR) FROM scheduled_run "
                     + "WHERE job_name = 'enrichment' GROUP BY scheduled_at HAVING COUNT(*) > 1")) {
            while (rs.next()) {
                twice.add(rs.getString(1));
            }
        }
        return twice;
    }
}
