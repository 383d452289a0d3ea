package dev.encore.live;

import static dev.encore.spotify.FakeSpotifyListening.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.adls.FakeDataLakeServer;
import dev.encore.lake.AdlsRawZone;
import dev.encore.lake.RawFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw zone in ADLS Gen2 (profile azure), through the real Azure SDK against the fake DFS endpoint. */
class LiveAdlsTest {
    private static final String FS = "encore";
    private static final String KEY = Base64.getEncoder().encodeToString("a-lake-key-never-logged".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;
    private FakeDataLakeServer adls;

    @BeforeEach
    void start() {
        adls = FakeDataLakeServer.start("devstoreaccount1");
        adls.createFileSystem(FS);
    }

    @AfterEach
    void stop() {
        adls.close();
    }

    @Test
    @DisplayName("A tick writes each answer to the lake with If-None-Match: *, byte for byte, under encore.lake.root")
    void tickWritesToTheLake() throws Exception {
        try (LiveFixture f = new LiveFixture(TestDatabases.h2(), tmp.resolve("unused-local-lake"))) {
            f.users.connect("ann", "spotify-ann");
            f.listening.plays("spotify-ann", 0, 12, LiveFixture.START.minus(Duration.ofMinutes(5)));
            f.listening.save("spotify-ann", track(1), LiveFixture.START.minus(Duration.ofDays(2)));
            try (EncoreApp app = f.app(Map.of("encore.adls.enabled", "true", "encore.adls.account-name", adls.accountName(),
                    "encore.adls.endpoint", adls.endpoint(), "encore.adls.auth", "shared-key", "encore.adls.account-key", KEY,
                    "encore.adls.filesystem", FS, "encore.adls.poll-interval-ms", "600000",
                    "encore.adls.download-dir", tmp.resolve("downloads").toString(), "encore.lake.root", "lake"))) {
                LiveFixture.tick(app);
            }
            String played = "lake/raw/spotify/recently-played/ann/2026/12/01/11/20261201T110100.000Z.json";
            assertThat(adls.listFiles(FS)).contains(played,
                    "lake/raw/spotify/saved-tracks/ann/2026/12/01/11/20261201T110100.000Z_0.json");
            assertThat(adls.read(FS, played)).isEqualTo(f.listening.answers("spotify-ann", "/v1/me/player/recently-played").get(0));
            List<String> creates = adls.rawRequests().stream().filter(r -> r.startsWith("PUT ") && r.contains("resource=file")).toList();
            assertThat(creates).isNotEmpty().allSatisfy(r -> assertThat(r).contains("If-None-Match: *"));
            assertThat(f.raw("recently-played", "ann")).as("nothing in the local folder").isEmpty();
        }
    }

    @Test
    @DisplayName("An existing lake file is never replaced: the second write of a name fails and the first bytes stay")
    void neverOverwritten() throws Exception {
        var client = new DataLakeServiceClientBuilder().endpoint(adls.endpoint())
                .credential(new StorageSharedKeyCredential(adls.accountName(), KEY)).buildClient();
        AdlsRawZone zone = new AdlsRawZone(client, FS, "");
        RawFile file = new RawFile(dev.encore.lake.RawKind.RECENTLY_PLAYED, "ann", LiveFixture.START, null);
        zone.write(file, "{\"items\":[]}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> zone.write(file, "{\"other\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(new String(adls.read(FS, file.path()), StandardCharsets.UTF_8)).isEqualTo("{\"items\":[]}");
    }
}
