package dev.encore.access;

import dev.encore.insights.UnknownUserException;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may use the dashboard and API server: the first handler of every route on it (added to
 * each platform-http consumer by {@code ApiHttpEngine}), so a route an operator adds is guarded
 * too. With sign-in required:
 * <ul>
 *   <li>the sign-in page, the dashboard's static files and {@code POST /api/session} are open;</li>
 *   <li>everything else needs a caller: a session cookie, or {@code Authorization: Bearer} with an
 *       API token. Without one the API answers 401 and a page sends the browser to /signin;</li>
 *   <li>a session's PUT, POST and DELETE must carry its CSRF token (header {@code X-CSRF-Token}):
 *       another site can make a browser send the cookie, but not read the token;</li>
 *   <li>a route with a {@code {user}} in its path is a 404 for anyone who may not see that user,
 *       word for word the answer for a user who does not exist: it confirms no one.</li>
 * </ul>
 * The caller goes on to the routes as the message header {@link Caller#HEADER}; with sign-in
 * off every request is {@link Caller#OPEN}. The database is asked on a worker thread, never on
 * the event loop.
 */
public final class AccessGate implements Handler<RoutingContext> {
    /** Where the caller waits for the consumer (which makes it the message header). */
    public static final String CALLER = "encore.caller";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * On every answer: no other site may frame a page of Encore (to lure a click on Sign out or
     * Revoke), nor may a browser guess a type for an answer.
     */
    public static final Map<String, String> ANSWER_HEADERS = Map.of(
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin");
    private static final Pattern STATIC_FILE = Pattern.compile("/[A-Za-z0-9][A-Za-z0-9._-]*\\.(js|css|svg|png|ico)");

    private final AccessPolicy policy;
    private final WebSessions sessions;
    private final ApiTokens tokens;

    public AccessGate(AccessPolicy policy, WebSessions sessions, ApiTokens tokens) {
        this.policy = policy;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ANSWER_HEADERS.forEach(ctx.response()::putHeader);
        if (!policy.required()) {
            // open means open to this machine: a page elsewhere whose name was re-pointed at 127.0.0.1
            // (DNS rebinding) sends its own Host, and gets nothing
            if (!isLoopbackHost(request.getHeader("Host"))) {
                answer(ctx, 421, ctx.normalizedPath(), "Encore listens on loopback only and answers "
                        + "127.0.0.1, localhost or [::1]: open it at one of those");
                return;
            }
            ctx.put(CALLER, Caller.OPEN);
            ctx.next();
            return;
        }
        if (isOpen(request.method(), ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String authorization = request.getHeader("Authorization");
        Cookie cookie = request.getCookie(WebSessions.COOKIE);
        Blocking.ask(ctx, () -> identify(authorization, cookie == null ? null : cookie.getValue()), found -> admit(ctx, found));
    }

    private Optional<Caller> identify(String authorization, String cookie) throws java.sql.SQLException {
        if (authorization != null) {
            // a request that names a credential is judged by it alone, never by a cookie beside it
            return tokens.fromBearer(authorization);
        }
        return sessions.find(cookie);
    }

    private void admit(RoutingContext ctx, Optional<Caller> found) {
        String path = ctx.normalizedPath();
        if (found.isEmpty()) {
            refuseStranger(ctx, path);
            return;
        }
        Caller caller = found.get();
        if (caller.how() == Caller.How.SESSION && !isSafe(ctx.request().method())
                && !Secrets.same(ctx.request().getHeader(CSRF_HEADER), WebSessions.csrfToken(caller))) {
            answer(ctx, 403, path, "This request lacks the page's CSRF token (header " + CSRF_HEADER
                    + "): reload the page and try again. Scripts use an API token instead of the cookie.");
            return;
        }
        if ("/connect".equals(path) && isCrossSite(ctx.request())) {
            // a page of another site sending a signed-in browser to /connect?user=someone-else
            answer(ctx, 403, path, "Connect Spotify from your own Encore dashboard: this request came from another site");
            return;
        }
        String user = ctx.pathParam("user");
        if (user != null && !caller.maySee(user)) {
            answer(ctx, 404, path, new UnknownUserException(user).getMessage());
            return;
        }
        ctx.put(CALLER, caller);
        ctx.next();
    }

    private static void refuseStranger(RoutingContext ctx, String path) {
        HttpMethod method = ctx.request().method();
        if (!isApi(path) && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            // a page: to the sign-in page, and back here after it
            ctx.response().setStatusCode(302)
                    .putHeader("Location", "/signin?next=" + URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8))
                    .putHeader("Cache-Control", "no-store").end();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"Encore\"");
        answer(ctx, 401, path, ctx.request().getHeader("Authorization") != null
                ? "This API token is not valid (revoked, or mistyped); make a new one on the dashboard"
                : "Sign in first (/signin), or send Authorization: Bearer <API token>");
    }

    /** A refusal in the form of the path: JSON under /api, text elsewhere. */
    static void answer(RoutingContext ctx, int status, String path, String message) {
        ctx.response().setStatusCode(status).putHeader("Cache-Control", "no-store");
        if (isApi(path)) {
            ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("error", message).encode());
        } else {
            ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
        }
    }

    /** What the browser says of where a request came from (Sec-Fetch-Site); older browsers say nothing. */
    private static boolean isCrossSite(HttpServerRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        return site != null && !site.equals("same-origin") && !site.equals("none");
    }

    /** A Host header naming this machine's loopback (any port), or none (HTTP/1.0). */
    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return true;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equalsIgnoreCase("localhost") || name.equals("[::1]") || name.startsWith("127.");
    }

    /** What anyone may fetch: the sign-in page, its files, and the sign-in itself. */
    static boolean isOpen(HttpMethod method, String path) {
        if (method == HttpMethod.POST && "/api/session".equals(path)) {
            return true;
        }
        return isSafe(method) && method != HttpMethod.OPTIONS && path != null
                && (path.equals("/signin") || path.startsWith("/webjars/") || STATIC_FILE.matcher(path).matches());
    }

    private static boolean isSafe(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }

    private static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }
}
