package dev.encore;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through its chromedriver, for the browser tests. Without them a test
 * is skipped loudly, except on CI, where it fails.
 */
public final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of(System.getProperty("encore.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("encore.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    /** Skips the calling test class (or fails it on CI) when Chromium or chromedriver is missing. */
    public static void assumeInstalled(String test) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must have Debian's chromium and chromium-driver (.ci/run installs them)");
            }
            System.err.println("*** SKIPPING " + test + ": no " + CHROMIUM + " / " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver)");
            Assumptions.abort("no chromium");
        }
    }

    /** A fresh browser (its own profile) with a window of {@code width} x {@code height}. */
    public static ChromeDriver open(int width, int height) throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the machine has no internet: Chromium's own background traffic would only fail
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("encore-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The first element {@code by} finds once it is displayed (at most 30 s: a page that never shows it fails). */
    public static org.openqa.selenium.WebElement await(org.openqa.selenium.WebDriver browser, org.openqa.selenium.By by) {
        return new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30)).until(b -> {
            var found = b.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /** A screenshot of the window as target/screenshots/{@code name}.png, to look at as its user would. */
    public static void shot(ChromeDriver browser, String name) throws java.io.IOException {
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), shots.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
