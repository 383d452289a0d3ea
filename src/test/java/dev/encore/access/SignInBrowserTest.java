package dev.encore.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.HeadlessChromium;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in and out in a real headless Chromium, with sign-in required: the dashboard sends a
 * stranger to the sign-in page and back, shows a person only their own listening, refuses a
 * change without the page's CSRF token, and makes an API token that curl then uses.
 * Screenshots in target/screenshots/.
 */
class SignInBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AccessFixture fixture;
    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        HeadlessChromium.assumeInstalled("the sign-in browser test");
        fixture = AccessFixture.on("h2");
        browser = HeadlessChromium.open(1400, 1000);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @DisplayName("A stranger is sent to sign in and back; ann sees only her own listening, bob's address shows "
            + "no data; sign-out ends it")
    void signInSeeOnlyYourOwnThenSignOut() throws Exception {
        fixture.clock.advance(Duration.ofMinutes(16)); // no failed sign-in of another test counts
        browser.manage().deleteAllCookies();
        browser.get(fixture.baseUrl() + "/?user=ann&period=all");
        await(By.id("signin-user"));
        assertThat(browser.getCurrentUrl()).startsWith(fixture.baseUrl() + "/signin?next=");
        shot("signin-page");

        signIn("ann", "not her password");
        WebElement error = await(By.id("signin-error"));
        assertThat(error.getText()).isEqualTo("Wrong name or password");
        shot("signin-wrong-password");

        signIn("ann", AccessFixture.PASSWORD);
        awaitState("ready");
        assertThat(browser.getCurrentUrl()).startsWith(fixture.baseUrl() + "/?user=ann&period=all");
        assertThat(browser.findElement(By.id("account-name")).getText()).isEqualTo("ann");
        List<String> listeners = browser.findElements(By.cssSelector("#user-select option")).stream()
                .map(o -> o.getAttribute("value")).toList();
        assertThat(listeners).containsExactly("ann");
        assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("bob");
        shot("signin-dashboard-ann");

        // another user's address: the API's 404, as for a user who does not exist, and none of bob's data
        browser.get(fixture.baseUrl() + "/?user=bob&period=all");
        WebElement refused = await(By.id("error"));
        assertThat(refused.getText()).contains("No user 'bob'");
        // the menu says of bob what it says of a name nobody has: not found
        assertThat(browser.findElement(By.cssSelector("#user-select option[value=bob]")).getText()).isEqualTo("bob (not found)");
        assertThat(((JavascriptExecutor) browser).executeScript("return document.body.dataset.state")).isEqualTo("error");
        shot("signin-other-user-refused");

        browser.get(fixture.baseUrl() + "/?user=ann&period=all");
        awaitState("ready");
        await(By.id("sign-out")).click();
        await(By.id("signin-user"));
        browser.get(fixture.baseUrl() + "/");
        await(By.id("signin-user"));
        assertThat(browser.getCurrentUrl()).startsWith(fixture.baseUrl() + "/signin");
        assertThat(browser.manage().getCookieNamed(WebSessions.COOKIE)).isNull();
    }

    @Test
    @DisplayName("The page's own changes carry the CSRF token; the same change without it is refused with 403")
    void aChangeWithoutTheCsrfTokenIsRefusedInTheBrowser() throws Exception {
        fixture.clock.advance(Duration.ofMinutes(16));
        browser.manage().deleteAllCookies();
        // a next= that a browser resolves to another host ("/", a tab, "/example.org") stays on this site
        browser.get(fixture.baseUrl() + "/signin?next=%2F%09%2Fexample.org");
        signIn("bob", AccessFixture.PASSWORD);
        awaitState("ready");
        assertThat(browser.getCurrentUrl()).startsWith(fixture.baseUrl() + "/");

        // what a forged request could do: the browser sends the cookie, but no page of another site knows the token
        String forged = fetch("PUT", "/api/users/bob", "{\"time_zone\":\"Asia/Tokyo\"}", null);
        assertThat(forged).startsWith("403 ").contains("CSRF");
        assertThat(fixture.db.count("SELECT COUNT(*) FROM app_user WHERE user_id = 'bob' AND time_zone = 'Asia/Tokyo'")).isZero();

        String csrf = JSON.readTree(fetch("GET", "/api/me", null, null).substring(4)).path("csrf_token").asText();
        String real = fetch("PUT", "/api/users/bob", "{\"time_zone\":\"Asia/Tokyo\"}", csrf);
        assertThat(real).startsWith("200 ");
        assertThat(fixture.db.count("SELECT COUNT(*) FROM app_user WHERE user_id = 'bob' AND time_zone = 'Asia/Tokyo'")).isOne();
        fetch("PUT", "/api/users/bob", "{\"time_zone\":\"UTC\"}", csrf);
    }

    @Test
    @DisplayName("An API token made on the dashboard opens the person's data to curl, and nobody else's")
    void anApiTokenMadeOnTheDashboardWorksWithCurl() throws Exception {
        if (!new File("/usr/bin/curl").canExecute()) {
            // skipped loudly here, never on CI (.ci/run installs curl)
            assertThat(System.getenv("CI")).as("CI must have curl").isNotEqualTo("true");
            Assumptions.abort("curl is not installed (apt-get install curl)");
        }
        fixture.clock.advance(Duration.ofMinutes(16));
        browser.manage().deleteAllCookies();
        browser.get(fixture.baseUrl() + "/signin");
        signIn("ann", AccessFixture.PASSWORD);
        awaitState("ready");

        await(By.id("tokens-open")).click();
        await(By.id("token-label")).sendKeys("curl");
        browser.findElement(By.cssSelector("#tokens-form button[type=submit]")).click();
        String token = await(By.id("token-value")).getText();
        assertThat(token).startsWith("enc_");
        shot("signin-api-token");

        String[] own = curl(token, "/api/users/ann/wrapped?period=all");
        assertThat(own[0]).isEqualTo("200");
        JsonNode wrapped = JSON.readTree(own[1]);
        assertThat(wrapped.path("user").asText()).isEqualTo("ann");
        assertThat(wrapped.path("totals").path("streams").asLong()).isPositive();
        assertThat(curl(token, "/api/users/bob/wrapped?period=all")[0]).isEqualTo("404");
        assertThat(curl("enc_" + "x".repeat(43), "/api/users/ann/wrapped")[0]).isEqualTo("401");

        browser.findElement(By.cssSelector("#tokens-list button[data-token]")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElements(By.cssSelector("#tokens-list button[data-token]")).isEmpty());
        assertThat(curl(token, "/api/users/ann/wrapped?period=all")[0]).isEqualTo("401");
    }

    /** curl's status and body for a GET with the token. */
    private static String[] curl(String token, String path) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/curl", "-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer " + token,
                fixture.baseUrl() + path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        int last = out.lastIndexOf('\n');
        return new String[] {out.substring(last + 1).trim(), out.substring(0, last)};
    }

    /** A fetch from the page itself: "status body". */
    private static String fetch(String method, String path, String body, String csrf) {
        Object answer = ((JavascriptExecutor) browser).executeAsyncScript("""
                const [method, path, body, csrf, done] = arguments;
                const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
                if (csrf) headers['X-CSRF-Token'] = csrf;
                fetch(path, { method, headers, body: body || undefined })
                  .then(async (r) => done(r.status + ' ' + await r.text()), (e) => done('error ' + e));
                """, method, path, body, csrf);
        return String.valueOf(answer);
    }

    private static void signIn(String user, String password) {
        WebElement name = await(By.id("signin-user"));
        name.clear();
        name.sendKeys(user);
        WebElement field = browser.findElement(By.id("signin-password"));
        field.clear();
        field.sendKeys(password);
        browser.findElement(By.id("signin-submit")).click();
    }

    private static void awaitState(String state) throws Exception {
        try {
            // asked of the page by script: an element found before a navigation goes stale after it
            new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.WebDriverException.class)
                    .until(b -> state.equals(((JavascriptExecutor) b).executeScript("return document.body.dataset.state")));
        } catch (org.openqa.selenium.TimeoutException e) {
            shot("signin-not-" + state);
            throw new AssertionError("The page at " + browser.getCurrentUrl() + " is '"
                    + browser.findElement(By.tagName("body")).getAttribute("data-state") + "', not '" + state + "': "
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    private static WebElement await(By by) {
        return HeadlessChromium.await(browser, by);
    }

    private static void shot(String name) throws Exception {
        HeadlessChromium.shot(browser, name);
    }
}
