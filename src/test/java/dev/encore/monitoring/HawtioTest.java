package dev.encore.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreApp;
import dev.encore.HeadlessChromium;
import dev.encore.Samples;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A standalone Hawtio (hawtio-embedded, as docs/operations.md tells an operator to run it) attached
 * to a running Encore through its Jolokia URL, in real headless Chromium: the Camel tab lists
 * Encore's routes, so jolokia-access.xml lets through what Hawtio needs. The screenshot is the one
 * in docs/operations.md.
 */
class HawtioTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    private static TestDatabase db;
    private static EncoreApp app;
    private static int managementPort;
    private static String hawtio;
    private static WebDriver browser;
    private static Process hawtioProcess;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled("the Hawtio test");
        Files.createDirectories(SHOTS);
        db = TestDatabases.h2();
        managementPort = EncoreApp.freePort();
        app = EncoreApp.start(db.url(), db.user(), Map.of("camel.management.enabled", "true",
                "camel.management.port", Integer.toString(managementPort), "encore.local.enabled", "false"));
        app.camel().createProducerTemplate().sendBodyAndHeaders("direct:import-file",
                Samples.file("lshatkin", "endvideo.json").toFile(),
                Map.of("EncoreSourcePath", "endvideo.json", "EncoreSourceKind", "cli", "EncoreUser", "lena"));

        // a Hawtio process of its own, as an operator runs it: no sign-in for this local test, and its
        // proxy may reach loopback only
        int hawtioPort = EncoreApp.freePort();
        hawtioProcess = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dhawtio.authenticationEnabled=false", "-Dhawtio.proxyAllowlist=localhost,127.0.0.1",
                "-cp", System.getProperty("java.class.path"), HawtioLauncher.class.getName(),
                "--war", System.getProperty("encore.hawtio.war"), "--host", "127.0.0.1", "--port", Integer.toString(hawtioPort),
                "--open-url=false").redirectErrorStream(true).redirectOutput(SHOTS.resolveSibling("hawtio.log").toFile()).start();
        hawtio = "http://127.0.0.1:" + hawtioPort + "/hawtio";

        browser = HeadlessChromium.open(1400, 1000);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (hawtioProcess != null) {
            hawtioProcess.destroy();
        }
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void hawtiosCamelTabListsEncoresRoutesThroughJolokia() throws Exception {
        // Hawtio answers once its web console is unpacked and served
        new WebDriverWait(browser, Duration.ofMinutes(2)).ignoring(org.openqa.selenium.WebDriverException.class).until(b -> {
            b.get(hawtio + "/");
            return b.getTitle().contains("Hawtio");
        });
        // what Hawtio's Connect tab stores when an operator adds Encore's Jolokia URL
        ((JavascriptExecutor) browser).executeScript("localStorage.setItem('connect.connections', JSON.stringify("
                + "{encore: {name: 'encore', scheme: 'http', host: '127.0.0.1', port: " + managementPort
                + ", path: '/observe/jolokia'}}));");
        browser.get(hawtio + "/?con=encore");
        try {
            new WebDriverWait(browser, Duration.ofMinutes(2)).until(b -> {
                String text = b.findElement(By.tagName("body")).getText();
                return text.contains("import-file") && text.contains("enrichment-schedule");
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            // what Hawtio showed instead, for whoever reads the failure
            Files.write(SHOTS.resolve("hawtio-failed.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            throw new AssertionError("Hawtio never listed the routes; it showed: "
                    + browser.findElement(By.tagName("body")).getText() + " (target/screenshots/hawtio-failed.png)", e);
        }
        // the routes folder of the tree: every route with its state and counts, from the route MBeans
        browser.findElement(By.xpath("//*[normalize-space(text())='routes']")).click();
        new WebDriverWait(browser, Duration.ofMinutes(1)).until(b -> b.findElement(By.tagName("body")).getText().contains("Started"));
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("intake-local", "genres", "api-users", "Started");
        Files.write(SHOTS.resolve("hawtio-routes.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
