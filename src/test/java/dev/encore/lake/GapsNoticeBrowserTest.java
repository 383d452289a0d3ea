package dev.encore.lake;

import static dev.encore.lake.RawFileLoaderTest.plays;
import static dev.encore.lake.SpotifyAnswers.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.intake.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium tells of an open gap in the user's own time zone. */
class GapsNoticeBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("encore.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("encore.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    Path tmp;

    @Test
    @DisplayName("an open gap is a notice on the dashboard, in the user's time zone, saying an export will fill it")
    void anOpenGapIsShownInTheUsersZone() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must have Debian's chromium and chromium-driver");
            }
            Assumptions.abort("no chromium");
        }
        TestDatabase db = TestDatabases.h2();
        try (EncoreApp app = EncoreApp.start(db.url(), db.user(), Map.of("encore.local.enabled", "false",
                "encore.raw.local-enabled", "false", "encore.enrich.scheduled", "false"))) {
            // 3 May 2026, 09:00 to 09:36 UTC; then a full page from 14:40 UTC on: the plays between may be missing
            Instant morning = Instant.parse("2026-05-03T09:00:00Z");
            Instant afternoon = Instant.parse("2026-05-03T14:40:00Z");
            load(app, path("recently-played", "gia", morning.plusSeconds(3600), null), SpotifyAnswers.recentlyPlayed(50, plays(morning, 10)));
            load(app, path("recently-played", "gia", afternoon.plusSeconds(4 * 3600), null),
                    SpotifyAnswers.recentlyPlayed(50, plays(afternoon, 50)));
            HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/users/gia"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"time_zone\": \"Europe/Madrid\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);

            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1400,1200", "--lang=en-GB",
                    "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"));
            WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build(), options);
            try {
                browser.get(app.baseUrl() + "/?user=gia&period=all");
                new WebDriverWait(browser, Duration.ofMinutes(2)).until(b -> b.findElement(By.id("gaps")).isDisplayed());
                String notice = browser.findElement(By.id("gaps")).getText();
                // Madrid is UTC+2 in May
                assertThat(notice).contains("11:36").contains("16:40").containsPattern("3 May|May 3")
                        .contains("some plays may be missing: an export will fill this");
                Path shots = Files.createDirectories(Path.of("target", "screenshots"));
                Files.write(shots.resolve("dashboard-gap.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            } finally {
                browser.quit();
            }
        }
    }

    private static void load(EncoreApp app, String rawPath, byte[] content) throws Exception {
        Path file = Files.createTempFile("raw", ".json");
        Files.write(file, content);
        app.camel().createProducerTemplate().sendBodyAndHeaders("direct:raw-file", file.toFile(), Map.of(
                Headers.SOURCE_PATH, rawPath, Headers.SOURCE_KIND, "local"));
    }
}
