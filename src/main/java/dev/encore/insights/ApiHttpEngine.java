package dev.encore.insights;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, told which port the API routes belong to. Camel 4.17's engine finds
 * its server by looking for the only Vert.x server; with the management server on its own port
 * there are two, it falls back to 8080, and any other {@code --port} fails at start.
 */
public final class ApiHttpEngine extends VertxPlatformHttpEngine {
    private final int port;

    public ApiHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }
}
