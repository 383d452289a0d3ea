package dev.encore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreTestAccess;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.Samples;
import dev.encore.spotify.FakeSpotify;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar encore.jar ...}: what it prints and the exit codes scripts rely on. */
class EncoreCommandLineTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return EncoreTestAccess.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String db() {
        return "jdbc:h2:file:" + tmp.resolve("db/encore");
    }

    @Test
    void helpExplainsTheCommands() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage").contains("./encore import [--user NAME]").contains("inbox/rejected/");
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("import")).isEqualTo(2);
        assertThat(run("import", "--colour", "red", "x.json")).isEqualTo(2);
        assertThat(run("import", "--db", db(), tmp.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(run("import", "--user", "no spaces please", "x.json")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'frobnicate'").contains("needs at least one file")
                .contains("no such file or folder").contains("--user 'no spaces please' must be");
    }

    @Test
    void importingGoodFilesExitsWithZeroAndReports() throws Exception {
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        assertThat(run("import", "--user", "erin", "--db", db(), file.toString())).isZero();
        assertThat(out.toString()).contains("loaded   extended-2024").contains("1 file(s): 1 loaded, 0 skipped, 0 rejected")
                .contains("new streams for user erin");
        assertThat(file).exists(); // the user's own files are never moved
    }

    @Test
    void enrichWithoutSpotifyCredentialsSaysHowToTurnItOn() throws Exception {
        assertThat(run("enrich", "--db", db())).isEqualTo(1);
        assertThat(err.toString()).contains("ENCORE_SPOTIFY_CLIENT_ID");
    }

    @Test
    void enrichDescribesWhatTheImportedStreamsReferenceAndPrintsTheCalls() throws Exception {
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        assertThat(run("import", "--user", "erin", "--db", db(), file.toString())).isZero();
        try (FakeSpotify spotify = FakeSpotify.start().credentials("cli-test", "cli-secret")) {
            for (String uri : new ObjectMapper().readTree(file.toFile()).findValuesAsText("spotify_track_uri")) {
                spotify.addTrack(uri.substring("spotify:track:".length()), "T", "albumxxxxxxxxxxxxxxxxx",
                        java.util.List.of("artistxxxxxxxxxxxxxxxx"), "ISRC");
            }
            Map<String, String> settings = Map.of("encore.spotify.client-id", "cli-test",
                    "encore.spotify.client-secret", "cli-secret", "encore.spotify.api-base-url", spotify.baseUrl(),
                    "encore.spotify.accounts-base-url", spotify.baseUrl(), "encore.musicbrainz.enabled", "false");
            settings.forEach(System::setProperty);
            try {
                assertThat(run("enrich", "--db", db())).isZero();
            } finally {
                settings.keySet().forEach(System::clearProperty);
            }
            assertThat(out.toString()).contains("GET /v1/tracks?ids").contains("GET /v1/albums?ids")
                    .contains("call(s)").contains("object(s) described");
            assertThat(spotify.calls("GET /v1/tracks?")).isEqualTo(1);
        }
    }

    @Test
    void enrichExitsWithOneWhenCallsFailedAfterTheirRetries() throws Exception {
        try (FakeSpotify spotify = FakeSpotify.start().credentials("cli-test", "cli-secret")) {
            spotify.failNext("GET /v1/", 1000, 500, Map.of(), null); // Spotify down for the whole run
            assertThat(enrichAfterAnImport(spotify.baseUrl(), spotify.baseUrl())).isEqualTo(1);
            assertThat(err.toString()).contains("failed after their retries");
            assertThat(spotify.calls("/v1/")).isPositive();
        }
    }

    @Test
    void enrichExitsWithOneWhenTheAccountsServiceCannotBeReached() throws Exception {
        try (FakeSpotify spotify = FakeSpotify.start().credentials("cli-test", "cli-secret")) {
            // the Web API answers, but no token can be had: nothing listens where the accounts service should
            assertThat(enrichAfterAnImport(spotify.baseUrl(), "http://127.0.0.1:" + dev.encore.EncoreApp.freePort()))
                    .isEqualTo(1);
            assertThat(err.toString()).contains("failed after their retries");
            assertThat(spotify.calls("/v1/")).as("no call goes out without a token").isZero();
        }
    }

    /** {@code encore enrich}'s exit code, after importing a file whose tracks it has to describe. */
    private int enrichAfterAnImport(String apiBaseUrl, String accountsBaseUrl) throws Exception {
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        assertThat(run("import", "--user", "erin", "--db", db(), file.toString())).isZero();
        Map<String, String> settings = Map.of("encore.spotify.client-id", "cli-test",
                "encore.spotify.client-secret", "cli-secret", "encore.spotify.api-base-url", apiBaseUrl,
                "encore.spotify.accounts-base-url", accountsBaseUrl, "encore.musicbrainz.enabled", "false",
                "encore.spotify.retry-delay-ms", "1");
        settings.forEach(System::setProperty);
        try {
            return run("enrich", "--db", db());
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void importingTheSameFileAgainSaysWhenItWasLoadedAndExitsWithZero() throws Exception {
        Path file = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        assertThat(run("import", "--user", "erin", "--db", db(), file.toString())).isZero();
        out.reset();
        assertThat(run("import", "--user", "erin", "--db", db(), file.toString())).isZero();
        assertThat(out.toString()).containsPattern("already loaded on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, 0 new")
                .contains("1 file(s): 1 loaded, 0 skipped, 0 rejected; 0 new streams for user erin");
    }

    @Test
    void importingARejectedFileExitsWithOne() throws Exception {
        Path bad = Files.writeString(tmp.resolve("broken.json"), "[{\"ts\":");
        Path good = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        assertThat(run("import", "--db", db(), good.toString(), bad.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("broken.json ends in the middle").contains("1 loaded, 0 skipped, 1 rejected");
    }

    @Test
    void importingOnlyFilesThatAreNoStreamingHistoryExitsWithOneAndSaysWhy() throws Exception {
        Path notExport = Files.writeString(tmp.resolve("notexport.json"), "{\"name\": \"groceries\", \"items\": [\"milk\"]}");
        assertThat(run("import", "--db", db(), notExport.toString())).as("nothing loaded is no success").isEqualTo(1);
        assertThat(out.toString()).contains("notexport.json").contains("skipped").contains("0 loaded, 1 skipped, 0 rejected");
    }

    @Test
    void aFileThatIsNoHistoryBesideOneThatLoadedStillExitsWithZero() throws Exception {
        Path playlist = Files.writeString(tmp.resolve("Playlist1.json"), "{\"playlists\": []}");
        Path good = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        assertThat(run("import", "--db", db(), good.toString(), playlist.toString())).isZero();
        assertThat(out.toString()).contains("1 loaded, 1 skipped, 0 rejected");
    }

    @Test
    void helpSaysWhatTheImportsExitCodesMean() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("1 when any was rejected or none was a streaming history")
                .contains("inbox/skipped/");
    }
}
