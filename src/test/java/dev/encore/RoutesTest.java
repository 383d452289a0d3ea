package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file in routes/ parses as Camel YAML DSL, so a broken route fails the build rather than
 * production. (The app-level tests then run them all.)
 */
class RoutesTest {
    @TestFactory
    Stream<DynamicTest> everyRouteFileLoads() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                context.getPropertiesComponent().setLocation("file:application.properties");
                PluginHelper.getRoutesLoader(context).loadRoutes(
                        ResourceHelper.resolveMandatoryResource(context, "file:" + file));
                assertThat(context.getRouteDefinitions().size() + context.getRouteConfigurationDefinitions().size())
                        .as("routes and route configurations in " + file).isPositive();
            }
        }));
    }
}
