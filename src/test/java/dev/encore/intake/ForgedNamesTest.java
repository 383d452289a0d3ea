package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.LogCapture;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.Zips;
import dev.encore.export.ZipLimits;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file or ZIP-entry name is the uploader's text: its newlines and terminal escapes are shown
 * escaped in the report and the log, so a crafted name cannot forge a line of either.
 */
class ForgedNamesTest {
    /** A name that, printed raw, would end its line and add a "loaded ... read 999" line of its own. */
    private static final String FORGED_LINE = "\n  loaded   extended-2024     read     999  new     999  duplicate       0  rejected     0  forged";
    private static final String ANSI = "\u001b[2K\r";

    @TempDir
    Path tmp;
    private TestDatabase db;
    private Database database;
    private ExportImporter importer;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.create("h2");
        database = Database.open(db.url(), db.user(), "", 3);
        importer = new ExportImporter(database, new ImportStore(database.dataSource()), ZipLimits.DEFAULT, 500);
    }

    @AfterEach
    void close() {
        database.close();
        db.close();
    }

    @Test
    void zipEntryNamesWithNewlinesAndEscapesCannotForgeAReportOrLogLine() throws Exception {
        Path zip = Zips.builder()
                .add("h/" + ANSI + "Streaming_History_Audio_2022.json", Samples.file("efrrowini", "Streaming_History_Audio_2022.json"))
                .add("h/notes" + FORGED_LINE + ".pdf", "%PDF".getBytes(StandardCharsets.UTF_8))
                .writeTo(tmp.resolve("my_spotify_data.zip"));

        FileReport report;
        try (LogCapture log = LogCapture.open()) {
            report = importer.importFile(zip, "erin/my_spotify_data.zip", "erin", "local");
            assertNoRawControlCharacters(log.text().replace("\n", "")); // LogCapture joins lines with \n
            assertThat(log.text().lines().filter(l -> l.contains("forged"))).allMatch(l -> l.contains("notes\\n  loaded"));
        }

        assertThat(report.outcome()).isEqualTo(Outcome.LOADED);
        String described = report.describe();
        assertNoRawControlCharacters(described.replace("\n", ""));
        assertThat(described.lines()).as("one line per file and one per reason, none forged")
                .hasSize(1 + 2 + 1).noneMatch(l -> l.startsWith("  loaded   extended-2024     read     999"));
        assertThat(described).contains("h/\\u001b[2K\\rStreaming_History_Audio_2022.json")
                .contains("h/notes\\n  loaded   extended-2024");
    }

    @Test
    void aLooseFileNamedToForgeALineIsReportedEscaped() throws Exception {
        Path file = Files.writeString(tmp.resolve("broken.json"), "[{\"ts\":");
        String name = "erin/broken" + ANSI + FORGED_LINE + ".json";

        FileReport report;
        try (LogCapture log = LogCapture.open()) {
            report = importer.importFile(file, name, "erin", "local");
            assertThat(log.text()).contains("erin/broken\\u001b[2K\\r\\n  loaded");
            assertNoRawControlCharacters(log.text().replace("\n", ""));
        }

        assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
        assertNoRawControlCharacters(report.describe().replace("\n", ""));
        assertThat(report.describe().lines()).noneMatch(l -> l.startsWith("  loaded"));
    }

    private static void assertNoRawControlCharacters(String text) {
        assertThat(text.chars().filter(ch -> Character.getType(ch) == Character.CONTROL && ch != '\t'))
                .as("raw control characters in: %s", text.replace("\u001b", "<ESC>").replace("\r", "<CR>")).isEmpty();
    }
}
