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

/** {@code encore export}: the files, the summary and the exit codes. */
class ExportCommandTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        out.reset();
        err.reset();
        return EncoreTestAccess.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void exportsAUsersTablesAndRefusesWhatItCannot() throws Exception {
        String db = "jdbc:h2:file:" + tmp.resolve("db/encore");
        Path file = Samples.file("c3988169", "Streaming_History_Audio_2024-2025.json");
        assertThat(run("import", "--user", "erin", "--db", db, file.toString())).isZero();
        long plays = Samples.distinctExtendedPlays(file);

        Path dir = tmp.resolve("out");
        assertThat(run("export", "--user", "erin", "--format", "csv", "--out", dir.toString(), "--db", db)).isZero();
        String summary = out.toString(StandardCharsets.UTF_8);
        assertThat(summary).containsPattern("streams\\s+" + plays + " row\\(s\\)");
        // header + one line per stream (no name in this sample holds a line break)
        assertThat(Files.readAllLines(dir.resolve("streams.csv"))).hasSize((int) plays + 1);
        assertThat(dir.resolve("playlists.csv")).exists();

        assertThat(run("export", "--user", "nobody", "--format", "csv", "--out", dir.toString(), "--db", db)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).startsWith("encore: no user 'nobody'").doesNotContain("\n");
        assertThat(run("export", "--user", "erin", "--format", "xlsx", "--out", dir.toString(), "--db", db)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("encore: unknown format 'xlsx': use parquet or csv");
        assertThat(run("export", "--user", "erin", "--format", "csv", "--out", dir.toString(), "--from", "2024-13-01"))
                .isEqualTo(2);
        assertThat(run("export", "--user", "erin", "--out", dir.toString())).isEqualTo(2);
    }
}
