package dev.encore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreTestAccess;
import dev.encore.Samples;
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
        assertThat(out.toString()).contains("Usage:").contains("import [--user NAME]").contains("inbox/rejected/");
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
    void importingARejectedFileExitsWithOne() throws Exception {
        Path bad = Files.writeString(tmp.resolve("broken.json"), "[{\"ts\":");
        Path good = Samples.file("efrrowini", "Streaming_History_Video_2023.json");
        assertThat(run("import", "--db", db(), good.toString(), bad.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("broken.json ends in the middle").contains("1 loaded, 0 skipped, 1 rejected");
    }
}
