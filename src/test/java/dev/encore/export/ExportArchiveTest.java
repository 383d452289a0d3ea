package dev.encore.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.encore.Zips;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void listsTheFilesOfASpotifyZipWithoutMacOsForks() throws Exception {
        Path zip = Zips.spotifyLike("efrrowini", "Streaming_History_Audio_2022.json", "Streaming_History_Video_2023.json")
                .writeTo(tmp.resolve("my_spotify_data.zip"));
        try (ExportArchive archive = ExportArchive.open(zip, ZipLimits.DEFAULT)) {
            assertThat(archive.entries()).extracting(ZipEntry::getName).containsExactly(
                    "My Spotify Data/Spotify Extended Streaming History/Streaming_History_Audio_2022.json",
                    "My Spotify Data/Spotify Extended Streaming History/Streaming_History_Video_2023.json",
                    "My Spotify Data/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf");
            assertThat(archive.entries()).filteredOn(ExportArchive::isJson).hasSize(2);
        }
    }

    @Test
    void refusesAnArchiveWhoseEntryPathClimbsOut() throws Exception {
        Path zip = Zips.builder().add("ok.json", "[]".getBytes()).add("../../etc/evil.json", "[]".getBytes())
                .writeTo(tmp.resolve("evil.zip"));
        assertThatThrownBy(() -> ExportArchive.open(zip, ZipLimits.DEFAULT))
                .isInstanceOf(UnreadableExportException.class)
                .hasMessageContaining("leaves the archive").hasMessageContaining("../../etc/evil.json");
    }

    @Test
    void refusesAZipBombByItsRatio() throws Exception {
        Path zip = Zips.builder().add("bomb.json", new byte[64 << 20]).writeTo(tmp.resolve("bomb.zip"));
        assertThatThrownBy(() -> ExportArchive.open(zip, ZipLimits.DEFAULT))
                .isInstanceOf(UnreadableExportException.class).hasMessageContaining("ZIP bomb");
    }

    @Test
    void refusesEntriesAndArchivesOverTheSizeLimits() throws Exception {
        Path zip = Zips.builder().add("a.json", new byte[5000]).add("b.json", new byte[5000]).writeTo(tmp.resolve("big.zip"));
        assertThatThrownBy(() -> ExportArchive.open(zip, new ZipLimits(4000, 1 << 20, 1000, 100)))
                .hasMessageContaining("over the limit of 4000");
        assertThatThrownBy(() -> ExportArchive.open(zip, new ZipLimits(1 << 20, 8000, 1000, 100)))
                .hasMessageContaining("unpacks to more than 8000 bytes");
        assertThatThrownBy(() -> ExportArchive.open(zip, new ZipLimits(1 << 20, 1 << 20, 1000, 1)))
                .hasMessageContaining("more than 1 entries");
    }

    @Test
    void enforcesTheLimitWhileReadingWhenTheHeaderLies() throws Exception {
        Path zip = Zips.builder().add("a.json", new byte[3 << 20]).writeTo(tmp.resolve("liar.zip"));
        Zips.declareUncompressedSize(zip, "a.json", 100); // the central directory now claims 100 bytes

        try (ExportArchive archive = ExportArchive.open(zip, new ZipLimits(1 << 20, 1L << 30, 1_000_000, 10));
             InputStream in = archive.open(archive.entries().get(0))) {
            assertThat(archive.entries().get(0).getSize()).isEqualTo(100);
            assertThat(archive.limitBroken()).isFalse();
            assertThatThrownBy(in::readAllBytes).isInstanceOf(ExportArchive.ZipLimitException.class)
                    .hasMessageContaining("inflates past 1048576 bytes");
            assertThat(archive.limitBroken()).as("the archive is no longer to be trusted").isTrue();
        }
    }

    @Test
    void isNotAZipJustBecauseOfItsName() throws Exception {
        byte[] json = "[{}]".getBytes();
        assertThat(ExportArchive.looksLikeZip(json, json.length)).isFalse();
        byte[] zipHead = {'P', 'K', 3, 4};
        assertThat(ExportArchive.looksLikeZip(zipHead, 4)).isTrue();
    }
}
