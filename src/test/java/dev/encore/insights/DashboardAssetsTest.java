package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files come from the jar only: nothing of the working folder is served. */
class DashboardAssetsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @CsvSource({
            "/,                                                  200, text/html",
            "/app.js,                                            200, text/javascript",
            "/style.css,                                         200, text/css",
            "/webjars/chart.js/4.5.1/dist/chart.umd.min.js,      200, text/javascript",
            "/nothing-here.js,                                   404, text/plain",
    })
    void theDashboardAndItsLibrariesAreServed(String path, int status, String type) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith(type);
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
