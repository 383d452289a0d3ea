package dev.encore.access;

import io.vertx.core.Handler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.support.service.ServiceSupport;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the management server with sign-in required: health is open (a load balancer or
 * container runtime asks it), metrics and Jolokia (Hawtio) need an admin, by HTTP Basic with an
 * admin's name and password or API token, or {@code Authorization: Bearer} with an admin's API
 * token (Prometheus). A password, checked slowly on purpose, is remembered as verified for a few
 * minutes (by its SHA-256, in memory), since Hawtio and scrapers ask every few seconds.
 */
public final class ManagementGate implements Handler<RoutingContext> {
    private static final Duration REMEMBER = Duration.ofMinutes(5);

    private final AccessPolicy policy;
    private final Accounts accounts;
    private final ApiTokens tokens;
    private final SignInThrottle throttle;
    private final Clock clock;
    private final Map<String, Instant> verified = new ConcurrentHashMap<>();

    public ManagementGate(AccessPolicy policy, Accounts accounts, ApiTokens tokens, SignInThrottle throttle, Clock clock) {
        this.policy = policy;
        this.accounts = accounts;
        this.tokens = tokens;
        this.throttle = throttle;
        this.clock = clock;
    }

    /**
     * Puts the gate in front of every route of the management server, once it has its router.
     * Camel starts that server among its services, before any route; the gate follows at once.
     */
    public static void installOn(CamelContext context, ManagementGate gate) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                install(context, gate);
            }
        }, true, true);
        context.addStartupListener((camel, alreadyStarted) -> {
            install(camel, gate);
            if (!gate.installed && camel.hasService(ManagementHttpServer.class) != null) {
                // metrics and Jolokia without their gate would be open to anyone: no start at all then
                throw new IllegalStateException("The management server started without Encore's access gate");
            }
        });
    }

    private static synchronized void install(CamelContext context, ManagementGate gate) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || server.getRouter() == null || gate.installed) {
            return;
        }
        server.getRouter().route().order(-1000).handler(gate);
        gate.installed = true;
    }

    private volatile boolean installed;

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (!policy.required() && !AccessGate.isLoopbackHost(ctx.request().getHeader("Host"))) {
            // Jolokia on loopback is for this machine: not for a page whose name was re-pointed at it (DNS rebinding)
            ctx.response().setStatusCode(421).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("The management server listens on loopback only: use 127.0.0.1, localhost or [::1]\n");
            return;
        }
        if (!policy.required() || path == null || path.equals("/observe/health") || path.startsWith("/observe/health/")) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        Blocking.ask(ctx, () -> isAdmin(authorization, address), admin -> {
            if (admin) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"Encore management\"")
                        .putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("Metrics and Jolokia need an Encore admin: HTTP Basic with the admin's name and password "
                                + "or API token, or Authorization: Bearer with an admin's API token\n");
            }
        });
    }

    private boolean isAdmin(String authorization, String address) throws SQLException {
        if (authorization == null) {
            return false;
        }
        if (ApiTokens.isBearer(authorization)) {
            return tokens.fromBearer(authorization).map(Caller::admin).orElse(false);
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        if (secret.startsWith(ApiTokens.PREFIX)) {
            Optional<Caller> caller = tokens.find(secret);
            return caller.isPresent() && caller.get().admin() && caller.get().user().equals(user);
        }
        String key = Secrets.sha256(user + "\u0000" + secret);
        Instant now = clock.instant();
        Instant until = verified.get(key);
        if (until != null && now.isBefore(until) && accounts.find(user).map(Accounts.Account::admin).orElse(false)) {
            return true;
        }
        if (throttle.attempt(user, address).isPresent()) {
            return false;
        }
        Optional<Accounts.Account> account = accounts.signIn(user, secret);
        if (account.isEmpty() || !account.get().admin()) {
            return false;
        }
        throttle.succeeded(user, address);
        if (verified.size() > 1000) {
            verified.clear();
        }
        verified.put(key, now.plus(REMEMBER));
        return true;
    }
}
