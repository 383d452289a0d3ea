package dev.encore.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.HeadlessChromium;
import dev.encore.LogCapture;
import dev.encore.Samples;
import dev.encore.intake.Headers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Connecting Spotify in a real headless Chromium: from the dashboard's button through the fake
 * accounts service's /authorize to the success page, then the dashboard's status, and the
 * "needs to reconnect" notice after Spotify revoked the access. Screenshots in target/screenshots/.
 */
class ConnectBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    private static ConnectFixture fixture;
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        HeadlessChromium.assumeInstalled("the connect browser test");
        fixture = ConnectFixture.on("h2");
        Path export = Samples.dir().resolve("hobbies-w-erin");
        try (var files = Files.list(export)) {
            files.filter(f -> f.getFileName().toString().startsWith("StreamingHistory_")).forEach(f ->
                    fixture.app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file", f.toFile(),
                            Map.of(Headers.SOURCE_PATH, f.getFileName().toString(), Headers.SOURCE_KIND, "cli",
                                    Headers.USER, "erin")));
        }
        Files.createDirectories(SHOTS);
        browser = HeadlessChromium.open(1400, 1000);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    @DisplayName("Connect Spotify on the dashboard ends on the success page; the stored token is encrypted and "
            + "leaks nowhere; a revoked access shows as 'needs to reconnect' with a Reconnect button that works")
    void connectFromTheDashboardThenReconnectAfterARevocation() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            browser.get(fixture.baseUrl() + "/?user=erin");
            WebElement connect = await(By.cssSelector("#spotify[data-status=absent] #spotify-connect"));
            assertThat(connect.getText()).isEqualTo("Connect Spotify");
            assertThat(browser.findElement(By.id("spotify-status")).getText()).contains("not connected");
            shot("connect-dashboard-absent");

            connect.click();
            WebElement connected = await(By.id("connected"));
            assertThat(browser.getCurrentUrl()).startsWith(fixture.redirectUri() + "?code=");
            // the display name comes from /v1/me, escaped: the markup in it shows as text
            assertThat(connected.getText()).isEqualTo("Connected Spotify account " + ConnectFixture.DISPLAY_NAME
                    + " (" + ConnectFixture.SPOTIFY_USER + ") to Encore user erin.");
            assertThat(browser.findElements(By.cssSelector("#connected b"))).isEmpty();
            shot("connect-success");

            // the row: connected, the refresh token encrypted; the raw token nowhere
            Map<String, String> row = fixture.connectionRow("erin").orElseThrow();
            assertThat(row.get("status")).isEqualTo("connected");
            assertThat(row.get("spotify_user_id")).isEqualTo(ConnectFixture.SPOTIFY_USER);
            assertThat(row.get("refresh_token")).startsWith("v1:");
            String refreshToken = fixture.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER).get(0);
            String accessToken = fixture.fake.accessTokensIssued(ConnectFixture.SPOTIFY_USER).get(0);
            for (String table : new String[] {"spotify_connection", "spotify_authorization", "app_user"}) {
                assertThat(fixture.tableText(table)).doesNotContain(refreshToken).doesNotContain(accessToken);
            }
            JsonNode users = fixture.users();
            assertThat(users.toString()).doesNotContain(refreshToken).doesNotContain(accessToken)
                    .doesNotContain(row.get("refresh_token"));
            assertThat(fixture.tokens().connectedUsers()).containsExactly("erin");

            browser.findElement(By.id("back")).click();
            WebElement status = await(By.cssSelector("#spotify[data-status=connected] #spotify-status"));
            assertThat(status.getText()).contains(ConnectFixture.DISPLAY_NAME).contains(ConnectFixture.SPOTIFY_USER);
            assertThat(browser.findElement(By.id("spotify-connect")).isDisplayed()).isFalse();
            shot("connect-dashboard-connected");

            // Spotify revokes the access: the next renewal is refused, for good
            fixture.fake.revoke(ConnectFixture.SPOTIFY_USER);
            fixture.tokens().invalidate("erin");
            assertThatThrownBy(() -> fixture.tokens().bearer("erin")).isInstanceOf(ReconnectNeededException.class)
                    .hasMessageContaining("Refresh token revoked");
            assertThat(fixture.tokens().connectedUsers()).isEmpty();

            browser.get(fixture.baseUrl() + "/?user=erin");
            WebElement notice = await(By.cssSelector("#spotify[data-status=needs_reconnect] #spotify-status"));
            assertThat(notice.getText()).startsWith("Spotify needs to reconnect since ").contains("Refresh token revoked");
            assertThat(notice.getText()).contains(new java.text.SimpleDateFormat("yyyy").format(new java.util.Date(
                    fixture.clock.millis())));
            assertThat(notice.getDomAttribute("data-since")).isEqualTo(fixture.clock.instant().toString());
            WebElement reconnect = browser.findElement(By.id("spotify-connect"));
            assertThat(reconnect.getText()).isEqualTo("Reconnect Spotify");
            shot("connect-dashboard-needs-reconnect");

            reconnect.click();
            await(By.id("connected"));
            assertThat(fixture.connectionRow("erin").orElseThrow().get("status")).isEqualTo("connected");
            assertThat(fixture.tokens().connectedUsers()).containsExactly("erin");
            assertThat(fixture.tokens().bearer("erin")).startsWith("Bearer ");

            String all = logs.text();
            for (String token : fixture.fake.refreshTokensIssued(ConnectFixture.SPOTIFY_USER)) {
                assertThat(all).doesNotContain(token);
            }
            for (String token : fixture.fake.accessTokensIssued(ConnectFixture.SPOTIFY_USER)) {
                assertThat(all).doesNotContain(token);
            }
            assertThat(all).doesNotContain(dev.encore.spotify.FakeSpotify.DEFAULT_CLIENT_SECRET);
        }
    }

    @Test
    @DisplayName("A dashboard without any user offers to connect one by name; after the connect the user is listed")
    void anEmptyDashboardConnectsANewListener() throws Exception {
        try (ConnectFixture empty = ConnectFixture.on("h2")) {
            browser.get(empty.baseUrl() + "/");
            WebElement name = await(By.id("connect-user"));
            shot("connect-empty-dashboard");
            name.sendKeys("newcomer");
            browser.findElement(By.cssSelector(".connect-form button")).click();
            assertThat(await(By.id("connected")).getText()).endsWith("to Encore user newcomer.");
            browser.findElement(By.id("back")).click();
            WebElement status = await(By.cssSelector("#spotify[data-status=connected] #spotify-status"));
            assertThat(status.getText()).contains(ConnectFixture.SPOTIFY_USER);
            assertThat(empty.tokens().connectedUsers()).containsExactly("newcomer");
            shot("connect-newcomer-dashboard");
        }
    }

    private static WebElement await(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> {
            var found = b.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    private static void shot(String name) throws Exception {
        File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
