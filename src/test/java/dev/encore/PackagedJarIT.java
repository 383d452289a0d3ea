package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `java -jar target/encore.jar` as a user runs it: its own process, the runtime classpath of
 * target/lib only (a component the routes need but only tests bring in fails here, not in
 * production), from an empty folder so that the routes and configuration packaged in the jar are used.
 */
class PackagedJarIT {
    @TempDir
    Path workDir;

    @Test
    void theJarImportsARealExportFromAnyFolder() throws Exception {
        Path sample = Samples.file("efrrowini", "Streaming_History_Audio_2022.json");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("encore.jar"), "import", "--user", "erin",
                "--db", "jdbc:h2:file:" + workDir.resolve("data/encore"), sample.toString())
                .directory(workDir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("encore import finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("1 file(s): 1 loaded, 0 skipped, 0 rejected")
                .contains(Samples.distinctExtendedPlays(sample) + " new streams for user erin");
        assertThat(Files.exists(workDir.resolve("data/encore.mv.db"))).isTrue();
    }
}
