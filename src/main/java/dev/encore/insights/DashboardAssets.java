package dev.encore.insights;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Serves the dashboard from the jar: {@code /}, {@code /signin} and {@code /<file>} from {@code web/}, and
 * {@code /webjars/...} from the WebJars. Nothing else is reachable, whatever the path says.
 */
public final class DashboardAssets implements Processor {
    private static final Pattern SAFE = Pattern.compile("/(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json",
            "map", "application/json");

    @Override
    public void process(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String path = in.getHeader(Exchange.HTTP_URI, "/", String.class);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        String resource = resource(path);
        byte[] body = null;
        if (resource != null) {
            try (InputStream stream = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
                body = stream == null ? null : stream.readAllBytes();
            }
        }
        if (body == null) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            in.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            in.setBody("Not found: " + path);
            return;
        }
        String extension = resource.substring(resource.lastIndexOf('.') + 1);
        in.setHeader(Exchange.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
        // WebJar paths carry their version; the page itself must be fetched fresh after an upgrade
        in.setHeader("Cache-Control", resource.startsWith("META-INF/") ? "public, max-age=604800" : "no-cache");
        in.setBody(body);
    }

    /** The class path resource for a request path, or null when it may not be served. */
    static String resource(String path) {
        if (path.isEmpty() || path.equals("/")) {
            return "web/index.html";
        }
        if (path.equals("/signin")) {
            return "web/signin.html";
        }
        if (!SAFE.matcher(path).matches()) {
            return null;
        }
        if (path.startsWith("/webjars/")) {
            return "META-INF/resources" + path;
        }
        return path.indexOf('/', 1) < 0 ? "web" + path : null;
    }
}
