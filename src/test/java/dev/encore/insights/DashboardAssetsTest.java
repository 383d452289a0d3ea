package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files come from the jar only: nothing of the working folder is served. */
class DashboardAssetsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @CsvSource({
            "/,                                                  200, text/html",
            "/main.js,                                           200, text/javascript",
            "/charts.js,                                         200, text/javascript",
            "/style.css,                                         200, text/css",
            "/webjars/chart.js/4.5.1/dist/chart.umd.min.js,      200, text/javascript",
            "/nothing-here.js,                                   404, text/plain",
    })
    void theDashboardAndItsLibrariesAreServed(String path, int status, String type) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(type);
    }

    @Test
    void thePageLoadsTheChartJsOfTheWebJarItShipsWith() throws Exception {
        java.util.Properties webjar = new java.util.Properties();
        try (java.io.InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            webjar.load(in);
        }
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("<script src=\"(webjars/chart\\.js/[^\"]+)\"")
                .matcher(get("/").body());
        assertThat(script.find()).as("the page's Chart.js script").isTrue();
        assertThat(script.group(1)).isEqualTo("webjars/chart.js/" + webjar.getProperty("version") + "/dist/chart.umd.min.js");
        HttpResponse<String> chart = get("/" + script.group(1));
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/application.properties", "/pom.xml", "/routes/api.camel.yaml",
            "/webjars/../application.properties", "/%2e%2e/application.properties", "/.ci/run",
            "/META-INF/MANIFEST.MF", "/db/migration/V1__intake.sql", "/dev/encore/Encore.class"})
    void nothingElseIs(String path) throws Exception {
        // these files exist where the test runs (the project folder) or on the class path
        assertThat(Files.exists(Path.of("application.properties"))).isTrue();
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("encore.db.url").doesNotContain("<project").doesNotContain("CREATE TABLE");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(InsightsFixture.on("h2").baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
