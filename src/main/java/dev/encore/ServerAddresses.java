package dev.encore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where the two HTTP servers listen, the dashboard and API and the management server (health,
 * metrics). Checked before Camel binds them, because Camel's management server logs a taken port
 * and carries on, advertising an address that belongs to whoever holds it.
 */
final class ServerAddresses {
    record Server(String purpose, String host, int port, String howToChange) {
        String url(String path) {
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
        }
    }

    private ServerAddresses() {
    }

    /** The servers this configuration starts. */
    static List<Server> configured(PropertiesComponent p) {
        List<Server> servers = new ArrayList<>();
        if (enabled(p, "camel.server.enabled")) {
            servers.add(new Server("the dashboard and API", text(p, "camel.server.host"), port(p, "camel.server.port"),
                    "--port N or ENCORE_HTTP_PORT"));
        }
        if (enabled(p, "camel.management.enabled")) {
            servers.add(new Server("the management server (health, metrics)", text(p, "camel.management.host"),
                    port(p, "camel.management.port"), "--management-port N or ENCORE_MANAGEMENT_PORT"));
        }
        return servers;
    }

    /** Fails the start, in one line, when a port is already taken. */
    static void checkFree(List<Server> servers) {
        for (int i = 0; i < servers.size(); i++) {
            Server s = servers.get(i);
            for (int j = 0; j < i; j++) {
                if (servers.get(j).port() == s.port()) {
                    throw new StartupFailure("port " + s.port() + " is set for both " + servers.get(j).purpose() + " and "
                            + s.purpose() + "; give one another with " + s.howToChange());
                }
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // a socket in TIME_WAIT is no obstacle, a listener is
                probe.bind(new InetSocketAddress(s.host(), s.port()));
            } catch (IOException e) {
                throw new StartupFailure("port " + s.port() + " on " + s.host() + " for " + s.purpose()
                        + " is in use (another Encore?); choose another with " + s.howToChange());
            }
        }
    }

    private static boolean enabled(PropertiesComponent p, String key) {
        return Boolean.parseBoolean(p.resolveProperty(key).orElse("false").trim());
    }

    private static String text(PropertiesComponent p, String key) {
        return p.resolveProperty(key).map(String::trim).orElse("0.0.0.0");
    }

    private static int port(PropertiesComponent p, String key) {
        String value = p.resolveProperty(key).map(String::trim).orElse("");
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new StartupFailure(key + " must be a port number, not '" + value + "'");
        }
    }
}
