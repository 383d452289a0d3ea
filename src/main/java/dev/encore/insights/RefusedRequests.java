package dev.encore.insights;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's answer to a request it refuses before any route runs: a malformed escape in the
 * address ({@code %zz}), a body past {@code camel.server.max-body-size}, a body that is not JSON
 * where JSON is due, an {@code Accept} the API cannot answer. Without these handlers Vert.x
 * answers with a bare status (or an empty body) and logs each refusal as "Unhandled exception in
 * router" at ERROR, so anyone could flood the log with a few bad addresses. A client's mistake is
 * said to the client ({@code {"error": "..."}} under /api, plain text elsewhere) and logged at
 * DEBUG only; a 500 stays Vert.x's, at ERROR, since it is Encore's fault.
 * <p>
 * The handlers must sit on the server's root router: the path is decoded there, before the
 * router Camel hands out (a sub-router) sees the request, and a failure is answered by the root.
 * Camel 4.17 keeps the root private to {@link VertxPlatformHttpServer}, hence the reflection.
 */
final class RefusedRequests implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(RefusedRequests.class);
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");
    private static final Set<Router> INSTALLED = Collections.newSetFromMap(new WeakHashMap<>());

    private final int status;
    private final String message;

    private RefusedRequests(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** Installs the handlers on the root router of the server behind {@code routerName}, once. */
    static void installOn(CamelContext camel, String routerName) {
        VertxPlatformHttpRouter routes = VertxPlatformHttpRouter.lookup(camel, routerName);
        VertxPlatformHttpServer server = routes.getServer();
        Router root = rootRouter(server);
        synchronized (INSTALLED) {
            if (!INSTALLED.add(root)) {
                return;
            }
        }
        Long limit = server.getMaxBodySize();
        Map.of(
                400, "The request is malformed",
                406, "This API answers JSON only: send Accept: application/json (or none)",
                413, "The request body is larger than the " + (limit == null ? "10485760" : limit)
                        + " bytes this server takes",
                415, "The body must be JSON, sent with Content-Type: application/json")
                .forEach((status, message) -> {
                    root.errorHandler(status, new RefusedRequests(status, message));
                    // what fails while the routes' own router matches (a query read for a path parameter) ends there
                    routes.errorHandler(status, new RefusedRequests(status, message));
                });
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String path = ctx.request().path() == null ? "" : ctx.request().path();
        String said = message + detail(ctx, path);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Refused {} {} with {}: {}", ctx.request().method(), printable(path), status,
                    ctx.failure() == null ? said : ctx.failure().toString());
        }
        response.setStatusCode(status);
        if (path.startsWith("/api/") || path.equals("/api")) {
            response.putHeader("Content-Type", "application/json").end(new JsonObject().put("error", said).encode());
        } else {
            response.putHeader("Content-Type", "text/plain; charset=utf-8").end(said + "\n");
        }
    }

    /** What the client can do about it, where that is known. */
    private String detail(RoutingContext ctx, String path) {
        if (status == 400 && MALFORMED_ESCAPE.matcher(ctx.request().uri()).find()) {
            return ": a % in the address must be followed by two hexadecimal digits (a % itself is written %25)";
        }
        if (status == 415 && ctx.request().method() == HttpMethod.PUT && path.startsWith("/api/users/")) {
            return InsightsApi.SEND;
        }
        return "";
    }

    /** A path as a log line may show it: no control characters, not endless. */
    private static String printable(String path) {
        String p = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return p.replaceAll("\\p{Cntrl}", "?");
    }

    private static Router rootRouter(VertxPlatformHttpServer server) {
        try {
            Field field = VertxPlatformHttpServer.class.getDeclaredField("router");
            field.setAccessible(true);
            return (Router) field.get(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("This Camel version's HTTP server has no root router Encore knows how to reach", e);
        }
    }
}
