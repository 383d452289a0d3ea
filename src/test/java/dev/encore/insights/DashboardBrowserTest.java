package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.HeadlessChromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's, through its chromedriver), served by the
 * real application: what it shows equals what the API answers. Screenshots go to
 * {@code target/screenshots/} for a person to look at.
 */
class DashboardBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    private static InsightsFixture fixture;
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        HeadlessChromium.assumeInstalled("the dashboard test");
        fixture = InsightsFixture.on("h2");
        Files.createDirectories(SHOTS);
        browser = HeadlessChromium.open(1400, 2400);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theNumbersShownAreTheApisForEveryPeriodPicked() throws Exception {
        browser.get(fixture.baseUrl + "/?user=efr&period=year:2024");
        awaitReady("efr", "2024-01-01", "2025-01-01");
        assertShows(fixture.ok("/api/users/efr/wrapped?period=year:2024"));
        shot("dashboard-year");

        // a preset picked from the menu
        new Select(browser.findElement(By.id("period-select"))).selectByValue("wrapped:2023");
        awaitReady("efr", "2023-01-01", "2023-11-16");
        assertShows(fixture.ok("/api/users/efr/wrapped?period=wrapped:2023"));

        // a date range of one's own, ranked by plays
        new Select(browser.findElement(By.id("rank-select"))).selectByValue("plays");
        awaitReady("efr", "2023-01-01", "2023-11-16");
        new Select(browser.findElement(By.id("period-select"))).selectByValue("custom");
        setDate("from", "2024-08-01");
        setDate("to", "2024-09-01");
        browser.findElement(By.id("apply")).click();
        awaitReady("efr", "2024-08-01", "2024-09-01");
        assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-rank")).isEqualTo("plays");
        assertShows(fixture.ok("/api/users/efr/wrapped?from=2024-08-01&to=2024-09-01&rank=plays"));
        shot("dashboard-custom-range");
    }

    @Test
    void anotherUserCanBePickedAndTheStoryIsAnImage() throws Exception {
        browser.get(fixture.baseUrl + "/?user=efr&period=year:2024");
        awaitReady("efr", "2024-01-01", "2025-01-01");
        new Select(browser.findElement(By.id("user-select"))).selectByValue("erin");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> "ready".equals(state())
                && "erin".equals(b.findElement(By.tagName("body")).getDomAttribute("data-user")));
        WebElement body = browser.findElement(By.tagName("body"));
        assertShows(fixture.ok("/api/users/erin/wrapped?from=" + body.getDomAttribute("data-from")
                + "&to=" + body.getDomAttribute("data-to")));

        browser.findElement(By.id("story-open")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.findElement(By.id("story")).isDisplayed());
        String png = (String) js("return document.getElementById('story-canvas').toDataURL('image/png');");
        assertThat(png).startsWith("data:image/png;base64,");
        // a drawn poster, not an empty canvas: far more than the few hundred bytes of a blank one
        assertThat(png.length()).isGreaterThan(50_000);
        shot("dashboard-story");
        browser.findElement(By.id("story-close")).click();
    }

    @Test
    void theChartsPlotTheApisSeries() throws Exception {
        browser.get(fixture.baseUrl + "/?user=lena&period=year:2017");
        awaitReady("lena", "2017-01-01", "2018-01-01");
        JsonNode api = fixture.ok("/api/users/lena/wrapped?period=year:2017");
        @SuppressWarnings("unchecked")
        List<Number> clock = (List<Number>) js("return window.encoreCharts.clock.data.datasets[0].data;");
        List<Double> expected = new ArrayList<>();
        api.path("by_hour").forEach(h -> expected.add(h.path("minutes").asDouble()));
        assertThat(clock.stream().map(Number::doubleValue).toList()).hasSize(24).containsExactlyElementsOf(expected);
        @SuppressWarnings("unchecked")
        List<Number> weekdays = (List<Number>) js("return window.encoreCharts.weekday.data.datasets[0].data;");
        assertThat(weekdays).hasSize(7);
        assertThat(weekdays.stream().mapToDouble(Number::doubleValue).sum())
                .isCloseTo(api.path("by_weekday").findValues("minutes").stream().mapToDouble(JsonNode::asDouble).sum(),
                        org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aCenturyIsDrawnAsOneBarAYearAndFourYearsAsOneAMonthWhateverTheApisDaySeries() throws Exception {
        browser.get(fixture.baseUrl + "/?user=efr&from=1930-01-01&to=2030-01-01");
        awaitReady("efr", "1930-01-01", "2030-01-01");
        JsonNode century = fixture.ok("/api/users/efr/wrapped?from=1930-01-01&to=2030-01-01");
        assertThat(century.path("by_day_unit").asText()).as("the API's series is monthly here").isEqualTo("month");
        assertThat(browser.findElement(By.id("month-title")).getText()).isEqualTo("Minutes per year");
        @SuppressWarnings("unchecked")
        List<String> years = (List<String>) js("return window.encoreCharts.month.data.labels;");
        assertThat(years).hasSize(100).startsWith("1930").endsWith("2029");
        assertThat(plotted()).isCloseTo(century.path("totals").path("minutes").asDouble(),
                org.assertj.core.data.Offset.offset(0.05));
        shot("dashboard-century");

        browser.get(fixture.baseUrl + "/?user=efr&period=all");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> "ready".equals(state())
                && "all".equals(((JavascriptExecutor) b).executeScript("return document.getElementById('period-select').value;")));
        JsonNode all = fixture.ok("/api/users/efr/wrapped?period=all");
        assertThat(browser.findElement(By.id("month-title")).getText()).isEqualTo("Minutes per month");
        assertThat(((List<?>) js("return window.encoreCharts.month.data.labels;"))).hasSize(all.path("by_month").size());
        assertThat(plotted()).isCloseTo(all.path("totals").path("minutes").asDouble(), org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void theLandingPageOpensOnAListenerWithStreamsNotOneWhoseOnlyFileWasRejected() throws Exception {
        Path broken = Files.createDirectories(Path.of("target", "insights-fixture", "rejected"))
                .resolve("Streaming_History_Audio_2024.json");
        Files.writeString(broken, "[{\"ts\": \"2024-01-01T00:00:00Z\", \"ms_played\": ");
        fixture.load("aaa-rejected", broken);
        JsonNode users = fixture.ok("/api/users").path("users");
        assertThat(users.get(0).path("user").asText()).as("listed first, with nothing").isEqualTo("aaa-rejected");
        assertThat(users.get(0).path("streams").asLong()).isZero();

        browser.get(fixture.baseUrl + "/");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> "ready".equals(state()));
        String shown = browser.findElement(By.tagName("body")).getDomAttribute("data-user");
        String firstWithStreams = null;
        for (JsonNode u : users) {
            if (u.path("streams").asLong() > 0) {
                firstWithStreams = u.path("user").asText();
                break;
            }
        }
        assertThat(shown).isEqualTo(firstWithStreams).isNotEqualTo("aaa-rejected");
        assertThat(new Select(browser.findElement(By.id("user-select"))).getOptions().stream().map(WebElement::getText))
                .contains("aaa-rejected · 0 streams in all");
        shot("dashboard-landing");
    }

    @Test
    void oneOfAnythingIsSaidInTheSingularAndTheStreamsCardSaysItCountsMusicOnly() throws Exception {
        fixture.load("solo", PrivateSessionExport.single(Path.of("target", "insights-fixture", "solo")));
        browser.get(fixture.baseUrl + "/?user=solo&period=year:2024");
        awaitReady("solo", "2024-01-01", "2025-01-01");
        String page = browser.findElement(By.tagName("body")).getText();
        assertThat(page).contains("1 minute of music").contains("1 minute over 1 play")
                .doesNotContainPattern("(?<![\\d.,])1 (minutes|plays|streams|tracks|artists|hours|episodes|days)\\b");
        // the card counts music, the menu every stream: each says which
        assertThat(browser.findElement(By.cssSelector("[data-total=streams] .total-label")).getText())
                .isEqualToIgnoringCase("streams (music only)");
        assertThat(new Select(browser.findElement(By.id("user-select"))).getFirstSelectedOption().getText())
                .isEqualTo("solo · 2 streams in all");
        assertThat(total("streams")).isEqualTo("1");
        shot("dashboard-singular");
    }

    @Test
    void anEmptyWeekdayChartHasWholeTicksThatDoNotRepeat() throws Exception {
        browser.get(fixture.baseUrl + "/?user=efr&from=2010-01-01&to=2010-02-01");
        awaitReady("efr", "2010-01-01", "2010-02-01");
        assertThat(fixture.ok("/api/users/efr/wrapped?from=2010-01-01&to=2010-02-01").path("totals").path("streams").asInt())
                .as("nothing in this period").isZero();
        @SuppressWarnings("unchecked")
        List<String> ticks = (List<String>) js("const t = window.encoreCharts.weekday.scales.y.ticks;"
                + "return t.map(k => String(k.label));");
        assertThat(ticks).doesNotHaveDuplicates().allMatch(t -> t.matches("\\d+")).contains("0");
        shot("dashboard-empty");
    }

    private double plotted() {
        @SuppressWarnings("unchecked")
        List<Number> data = (List<Number>) js("return window.encoreCharts.month.data.datasets[0].data;");
        return data.stream().mapToDouble(Number::doubleValue).sum();
    }

    private void assertShows(JsonNode api) {
        JsonNode totals = api.path("totals");
        for (String key : List.of("minutes", "ms_played", "plays", "streams", "distinct_tracks", "distinct_artists",
                "distinct_albums", "days_listened")) {
            assertThat(total(key)).as(key).isEqualTo(totals.path(key).asText());
        }
        assertThat(total("longest_streak_days")).isEqualTo(api.path("longest_streak_days").asText());
        assertThat(total("new_artists")).isEqualTo(api.path("new_artists").path("count").asText());
        assertThat(listed("top-tracks")).isEqualTo(names(api.path("top_tracks")));
        assertThat(listed("top-artists")).isEqualTo(names(api.path("top_artists")));
        // and a person sees it: the minutes card's text is the number, formatted
        String shown = browser.findElement(By.cssSelector("[data-total=minutes]")).getText().replaceAll("[^0-9]", "");
        assertThat(shown).contains(Long.toString(Math.round(totals.path("minutes").asDouble())));
    }

    private String total(String key) {
        return browser.findElement(By.cssSelector("[data-total=" + key + "]")).getDomAttribute("data-value");
    }

    private List<String> listed(String list) {
        return browser.findElements(By.cssSelector("#" + list + " > li")).stream()
                .map(li -> li.getDomAttribute("data-name") + " " + li.getDomAttribute("data-ms")).toList();
    }

    private static List<String> names(JsonNode top) {
        List<String> out = new ArrayList<>();
        top.forEach(t -> out.add(t.path("name").asText() + " " + t.path("ms_played").asText()));
        return out;
    }

    private void awaitReady(String user, String from, String to) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> {
            WebElement body = b.findElement(By.tagName("body"));
            return "ready".equals(body.getDomAttribute("data-state")) && user.equals(body.getDomAttribute("data-user"))
                    && from.equals(body.getDomAttribute("data-from")) && to.equals(body.getDomAttribute("data-to"));
        });
    }

    private String state() {
        return browser.findElement(By.tagName("body")).getDomAttribute("data-state");
    }

    private void setDate(String id, String value) {
        js("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                + "e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
                id, value);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void shot(String name) throws Exception {
        File png = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
