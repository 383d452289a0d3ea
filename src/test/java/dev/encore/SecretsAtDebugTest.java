package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.spotify.FakeSpotify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No log level prints a secret: Encore started at DEBUG with canary values for every secret it
 * takes, an export loaded and enriched through the fake Spotify, and not one canary (nor any
 * bearer or basic credential) in what was logged.
 */
class SecretsAtDebugTest {
    private static final Pattern CREDENTIAL = Pattern.compile("(Bearer|Basic) [A-Za-z0-9+/=._-]{8,}");

    @TempDir
    Path tmp;

    /** Two extended-history plays of tracks enrichment will ask Spotify about. */
    private Path twoPlays() throws Exception {
        String record = "{\"ts\":\"2024-03-0%dT10:00:00Z\",\"platform\":\"android\",\"ms_played\":200000,"
                + "\"conn_country\":\"SE\",\"master_metadata_track_name\":\"Song %d\","
                + "\"master_metadata_album_artist_name\":\"Artist\",\"master_metadata_album_album_name\":\"Album\","
                + "\"spotify_track_uri\":\"spotify:track:%s\",\"reason_start\":\"trackdone\",\"reason_end\":\"trackdone\","
                + "\"shuffle\":false,\"skipped\":false,\"offline\":false,\"incognito_mode\":false}";
        Path file = tmp.resolve("Streaming_History_Audio_2024.json");
        Files.writeString(file, "[" + String.format(record, 1, 1, "4uLU6hMCjMI75M1A2tKUQC") + ","
                + String.format(record, 2, 2, "7GhIk7Il098yCjg4BQjzvb") + "]");
        return file;
    }

    @Test
    void aRunAtDebugLogsNoSecret() throws Exception {
        String clientSecret = "canary-client-secret-7d1f";
        String dbPassword = "canary-db-password-93ab";
        String adlsKey = Base64.getEncoder().encodeToString("canary-adls-account-key-4c2e".getBytes());
        String adlsClientSecret = "canary-adls-client-secret-b7e0";
        String secretKey = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');
        String log;
        try (FakeSpotify spotify = FakeSpotify.start().credentials("canary-client", clientSecret);
                LogCapture capture = LogCapture.openAt(Level.DEBUG)) {
            Map<String, String> p = new HashMap<>();
            p.put("encore.db.password", dbPassword);
            p.put("encore.local.enabled", "false");
            p.put("encore.spotify.client-id", "canary-client");
            p.put("encore.spotify.client-secret", clientSecret);
            p.put("encore.spotify.api-base-url", spotify.baseUrl());
            p.put("encore.spotify.accounts-base-url", spotify.baseUrl());
            p.put("encore.musicbrainz.enabled", "false");
            p.put("encore.adls.account-key", adlsKey);
            p.put("encore.adls.client-secret", adlsClientSecret);
            p.put("encore.secret-key", secretKey);
            // a new in-memory H2 takes the password of its first connection
            try (EncoreApp app = EncoreApp.start("jdbc:h2:mem:secrets-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", p)) {
                app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file", twoPlays().toFile(),
                        Map.of("EncoreSourcePath", "Streaming_History_Audio_2024.json", "EncoreSourceKind", "cli",
                                "EncoreUser", "lena"));
                var enriched = app.camel().createProducerTemplate().request("direct:enrich", ex -> { });
                assertThat(enriched.getException()).isNull();
                assertThat(spotify.tokenRequests()).as("enrichment really called Spotify").isPositive();
            }
            log = capture.text();
        }
        assertThat(log.lines().count()).as("DEBUG lines were captured").isGreaterThan(100);
        assertThat(log).doesNotContain(clientSecret, dbPassword, adlsKey, adlsClientSecret, secretKey);
        // the lines themselves, so a failure names the logger that leaked
        assertThat(log.lines().filter(l -> CREDENTIAL.matcher(l).find()).toList()).isEmpty();
    }
}
