package dev.encore.curated;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import dev.encore.adls.FakeDataLakeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curated zone in ADLS Gen2 through the real Azure SDK (against the fake DFS endpoint): the
 * files land under curated/ with no scratch left beside them, and a lake outage is recorded,
 * shown DOWN by the health check, and caught up once the lake is back, without a new load.
 */
class AdlsCuratedZoneTest {
    private static final String FS = "encore";
    private static final String KEY = java.util.Base64.getEncoder().encodeToString("fake-key".getBytes());
    @TempDir
    Path tmp;
    private CuratedFixture f;
    private FakeDataLakeServer adls;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        if (adls != null) {
            adls.close();
        }
    }

    private static DataLakeServiceClient client(String endpoint, String account) {
        return new DataLakeServiceClientBuilder().endpoint(endpoint)
                .credential(new StorageSharedKeyCredential(account, KEY))
                // an unreachable lake fails at once: the curated zone retries on its own schedule
                .retryOptions(new RequestRetryOptions(null, 1, 5, null, null, null)).buildClient();
    }

    @Test
    void anOutageIsRetriedLaterAndVisibleInHealth() throws Exception {
        f = new CuratedFixture("h2", tmp);
        // the lake is down: nothing listens where the client points
        FakeDataLakeServer gone = FakeDataLakeServer.start("devstoreaccount1");
        String deadEndpoint = gone.endpoint();
        gone.close();
        f.zone = f.zoneOn(new AdlsCuratedLake(client(deadEndpoint, "devstoreaccount1"), FS, "lake", tmp.resolve("s")), tmp);
        f.load(CuratedFixture.generated(tmp.resolve("in"), "Streaming_History_Audio_a.json",
                Instant.parse("2024-01-01T10:00:00Z"), 40), "ana");
        CuratedHealthCheck health = new CuratedHealthCheck(f.status);
        health.setCamelContext(new org.apache.camel.impl.DefaultCamelContext());

        CuratedZone.Pass failed = f.zone.pass();
        assertThat(failed.filesWritten()).isZero();
        assertThat(f.status.lastError()).contains("curated/streams/user=ana");
        assertThat(f.status.pendingUsers()).isEqualTo(1);
        HealthCheck.Result down = health.call();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("The curated zone cannot be written"));
        assertThat(health.isLiveness()).isFalse();
        // no retry before the delay
        assertThat(f.zone.pass().skipped()).isTrue();
        assertThat(f.count()).isZero();

        // the lake is back (a new endpoint, as after a failover); the retry writes what is owed
        adls = FakeDataLakeServer.start("devstoreaccount1");
        adls.createFileSystem(FS);
        f.zone = f.zoneOn(new AdlsCuratedLake(client(adls.endpoint(), "devstoreaccount1"), FS, "lake", tmp.resolve("s")), tmp);
        f.clock.advance(Duration.ofMinutes(2));
        CuratedZone.Pass retried = f.zone.pass();
        assertThat(retried.filesWritten()).isEqualTo(2);
        assertThat(health.call().getState()).isEqualTo(HealthCheck.State.UP);
        List<String> files = adls.listFiles(FS);
        assertThat(files).contains("lake/curated/streams/user=ana/year=2024/month=01/part-00000.parquet",
                "lake/curated/streams/user=ana/year=2024/month=02/part-00000.parquet");
        assertThat(files).noneMatch(p -> p.contains("/.") || p.endsWith(".tmp"));
        assertThat(tmp.resolve("s")).isEmptyDirectory();

        // the file in the lake reads back as the warehouse holds it
        Path copy = tmp.resolve("jan.parquet");
        Files.write(copy, adls.read(FS, "lake/curated/streams/user=ana/year=2024/month=01/part-00000.parquet"));
        List<Map<String, Object>> rows = ParquetRows.read(copy);
        assertThat((long) rows.size()).isEqualTo(f.db.count("SELECT COUNT(*) FROM stream WHERE user_id = 'ana' "
                + "AND ts_utc < TIMESTAMP '2024-02-01 00:00:00'"));

        // the same data again: the files keep their ETags
        String etag = adls.etag(FS, "lake/curated/streams/user=ana/year=2024/month=01/part-00000.parquet");
        f.zone.changed("ana");
        assertThat(f.zone.pass().filesWritten()).isZero();
        assertThat(adls.etag(FS, "lake/curated/streams/user=ana/year=2024/month=01/part-00000.parquet")).isEqualTo(etag);
    }
}
