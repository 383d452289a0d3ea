package dev.encore.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.file.datalake.models.PathItem;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AdlsDownloadsTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private final AdlsDownloads downloads = new AdlsDownloads(Path.of("unused"), Duration.ofSeconds(30),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aFileChangedWithinTheSettleTimeIsLeftForALaterPoll() {
        assertThat(downloads.isSettled(item(NOW.minusSeconds(5), 0))).as("being uploaded").isFalse();
        assertThat(downloads.isSettled(item(NOW.minusSeconds(5), 4096))).as("still being appended").isFalse();
        assertThat(downloads.isSettled(item(NOW.minusSeconds(31), 4096))).isTrue();
        assertThat(downloads.isSettled(item(NOW.minusSeconds(31), 0))).as("an empty file, to be rejected").isTrue();
    }

    @Test
    void aNewVersionOfAFileHasANewClaimKey() {
        PathItem v1 = new PathItem("0x1", OffsetDateTime.now(), 10, null, false, "exports/a/x.json", null, null);
        PathItem v2 = new PathItem("0x2", OffsetDateTime.now(), 10, null, false, "exports/a/x.json", null, null);
        assertThat(AdlsDownloads.claimKey("fs", v1)).isNotEqualTo(AdlsDownloads.claimKey("fs", v2))
                .startsWith("adls:fs/exports/a/x.json:");
    }

    private static PathItem item(Instant modified, long length) {
        return new PathItem("0x8DC", OffsetDateTime.ofInstant(modified, ZoneOffset.UTC), length, null, false,
                "exports/alice/x.json", null, null);
    }
}
