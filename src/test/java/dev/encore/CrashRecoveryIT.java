package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.TestDatabases.TestDatabase;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `serve`, a large export dropped into inbox/bob/, kill -9 half-way through its load, start
 * again: the new start recognises the claim its previous life left (the same host, a process
 * that is gone), says so in the log, and loads the file on its first poll, with exact counts;
 * the cut-off run is marked interrupted. Before, the file waited for the 30-minute lease.
 */
class CrashRecoveryIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int RECORDS = 100_000;

    @TempDir
    Path workDir;
    private TestDatabase db;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aRestartLoadsTheFileItsKilledPredecessorWasLoadingOnItsFirstPoll() throws Exception {
        db = TestDatabases.create("postgresql");
        Path inbox = Files.createDirectories(workDir.resolve("inbox"));
        Path staged = bigExport(workDir.resolve("staging/big.json"));
        Files.createDirectories(inbox.resolve("bob"));

        Process first = serve("first", inbox);
        Files.move(staged, inbox.resolve("bob/big.json"), StandardCopyOption.ATOMIC_MOVE);
        await("the first start loading bob/big.json").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> count("SELECT COUNT(*) FROM import_run WHERE source_path = 'bob/big.json' AND status = 'running'") == 1);
        first.destroyForcibly().waitFor(); // kill -9, half-way through the load

        assertThat(count("SELECT COUNT(*) FROM import_run WHERE source_path = 'bob/big.json' AND status = 'running'"))
                .as("killed mid-import, not after it").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM stream WHERE user_id = 'bob'")).isZero();
        assertThat(inbox.resolve("bob/big.json")).exists();

        Process second = serve("second", inbox);
        await("the restarted instance loads the file").atMost(WAIT)
                .until(() -> count("SELECT COUNT(*) FROM import_run WHERE source_path = 'bob/big.json' AND status = 'loaded'") == 1);
        await("and moves it").atMost(WAIT).until(() -> Files.exists(inbox.resolve("processed/bob/big.json")));

        assertThat(count("SELECT COUNT(*) FROM stream WHERE user_id = 'bob'")).isEqualTo(RECORDS);
        assertThat(count("SELECT records_inserted FROM import_run WHERE source_path = 'bob/big.json' AND status = 'loaded'"))
                .isEqualTo(RECORDS);
        assertThat(count("SELECT COUNT(*) FROM import_run WHERE source_path = 'bob/big.json' AND status = 'interrupted'"))
                .as("the cut-off run does not stay running").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM import_run WHERE status = 'running'")).isZero();
        String log = Files.readString(workDir.resolve("second.log"));
        assertThat(log).contains("Took over the claim on local:bob/big.json")
                .contains("left by the earlier Encore process " + first.pid() + " on this host");
        assertThat(second.isAlive()).isTrue();
    }

    private Process serve(String name, Path inbox) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dencore.inbox.dir=" + inbox, "-Dencore.inbox.poll-interval-ms=1000", "-Dencore.inbox.settle-ms=200",
                "-Dencore.import.batch-size=50", "-Dencore.enrich.scheduled=false", "-Dcamel.management.enabled=false",
                "-Dencore.db.user=" + db.user(),
                "-jar", System.getProperty("encore.jar"), "serve", "--db", db.url(), "--port", Integer.toString(EncoreApp.freePort()))
                .directory(Files.createDirectories(workDir.resolve(name)).toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile()).start();
        started.add(p);
        return p;
    }

    /** An extended-history file of {@code RECORDS} distinct plays, one a minute, built from a real record. */
    private static Path bigExport(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode record = (ObjectNode) json.readTree(Samples.file("efrrowini", "Streaming_History_Audio_2022.json").toFile()).get(0);
        Instant start = Instant.parse("2015-01-01T00:00:00Z");
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write('[');
            for (int i = 0; i < RECORDS; i++) {
                record.put("ts", start.plusSeconds(60L * i).toString());
                record.put("master_metadata_track_name", "Track " + i);
                out.write(i == 0 ? "" : ",");
                out.write(json.writeValueAsString(record));
            }
            out.write(']');
        }
        return file;
    }

    private long count(String sql) {
        try {
            return db.count(sql);
        } catch (RuntimeException e) {
            return -1; // the first start may still be creating the schema
        }
    }
}
