package dev.encore.insights;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The platform-http engine of the dashboard and API server: its consumers take the query
 * parameters, and nothing else of a request, as headers ({@link QueryParameterConsumer}), and the
 * first of them makes the server's refusals (a bad escape, a body too large) Encore's answers
 * ({@link RefusedRequests}). Every route's first handler is the access gate. It is
 * also told which port is its own: Camel 4.17's engine finds its server by looking for the only
 * Vert.x server; with the management server on its own port there are two, it falls back to
 * 8080, and any other {@code --port} fails at start.
 */
public final class ApiHttpEngine extends VertxPlatformHttpEngine {
    private final int port;
    private final Handler<RoutingContext> gate;

    /** @param gate the first handler of every route: who may use it ({@link dev.encore.access.AccessGate}) */
    public ApiHttpEngine(int port, Handler<RoutingContext> gate) {
        this.port = port;
        this.gate = gate;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        List<Handler<RoutingContext>> handlers = new ArrayList<>();
        handlers.add(gate);
        handlers.addAll(getHandlers());
        return new QueryParameterConsumer(endpoint, processor, handlers,
                VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()));
    }
}
