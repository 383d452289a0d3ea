package dev.encore.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Whether sign-in is required ({@code encore.auth.required}: auto, true or false). On auto it is
 * required as soon as either server listens beyond loopback (the container's 0.0.0.0): only on a
 * machine's own loopback may Encore stay open for the one person at it. Switching it off while a
 * server listens beyond loopback is refused at start.
 */
public record AccessPolicy(boolean required, String why) {

    public static AccessPolicy decide(String setting, String httpHost, String managementHost) {
        String mode = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        boolean loopback = isLoopback(httpHost) && isLoopback(managementHost);
        return switch (mode) {
            case "true" -> new AccessPolicy(true, "encore.auth.required=true");
            case "auto" -> loopback
                    ? new AccessPolicy(false, "both servers listen on loopback only")
                    : new AccessPolicy(true, "a server listens beyond loopback (" + beyond(httpHost, managementHost) + ")");
            case "false" -> {
                if (!loopback) {
                    throw new IllegalStateException("encore.auth.required=false is allowed on loopback only, and a server "
                            + "listens on " + beyond(httpHost, managementHost) + ": anyone who reaches it would see everyone's "
                            + "listening. Bind to 127.0.0.1 (encore.http.host, encore.management.host) or let sign-in be required");
                }
                yield new AccessPolicy(false, "encore.auth.required=false");
            }
            default -> throw new IllegalStateException("encore.auth.required must be auto, true or false, not '" + setting + "'");
        };
    }

    private static String beyond(String httpHost, String managementHost) {
        return isLoopback(httpHost) ? managementHost : httpHost;
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // a literal address only: a name is not resolved, it could mean anything tomorrow
            if (!h.matches("[0-9.]+|\\[?[0-9A-Fa-f:]+]?")) {
                return false;
            }
            return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
