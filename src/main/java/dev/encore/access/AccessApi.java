package dev.encore.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access API (routes/access.camel.yaml, docs/access.md): signing in and out, who am I, the
 * caller's API tokens, and the admin's accounts. Every method is given the caller the
 * {@link AccessGate} established; nothing here trusts a name from the request for who is asking.
 */
public final class AccessApi {
    private static final Logger LOG = LoggerFactory.getLogger(AccessApi.class);
    /** The header the HTTP server puts the client's address in (for the sign-in throttle). */
    public static final String ADDRESS_HEADER = "EncoreRemoteAddress";
    /** Whether the request came over TLS, or through a proxy that says it did (cookie flag Secure). */
    public static final String SECURE_HEADER = "EncoreSecureRequest";

    private final AccessPolicy policy;
    private final Accounts accounts;
    private final WebSessions sessions;
    private final ApiTokens tokens;
    private final SignInThrottle throttle;

    public AccessApi(AccessPolicy policy, Accounts accounts, WebSessions sessions, ApiTokens tokens, SignInThrottle throttle) {
        this.policy = policy;
        this.accounts = accounts;
        this.sessions = sessions;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    // ---------- signing in and out ------------------------------------------------------------

    /** {@code POST /api/session} with {@code {"user": "...", "password": "..."}}: sets the session cookie. */
    public Map<String, Object> signIn(JsonNode body, Exchange exchange) throws SQLException {
        if (!policy.required()) {
            throw new AccessRefusedException(409, "Sign-in is off: " + policy.why() + ", so there is nothing to sign in to");
        }
        String user = text(body, "user");
        String password = text(body, "password");
        if (user.isEmpty() || password.isEmpty()) {
            throw new AccessRefusedException(400, "Send {\"user\": \"...\", \"password\": \"...\"}");
        }
        Message in = exchange.getMessage();
        String address = address(exchange);
        Accounts.Account account = checkPassword(user, password, address)
                .orElseThrow(() -> new AccessRefusedException(401, "Wrong name or password"));
        WebSessions.Started session = sessions.start(account);
        boolean secure = Boolean.TRUE.equals(in.getHeader(SECURE_HEADER, Boolean.class));
        in.setHeader("Set-Cookie", WebSessions.COOKIE + "=" + session.cookie() + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                + sessions.lifetime().toSeconds() + (secure ? "; Secure" : ""));
        in.setHeader("Cache-Control", "no-store");
        LOG.info("{} signed in", account.user());
        return me(session.caller());
    }

    /** The account these credentials open, through the throttle: 429 while this name or address must wait. */
    private Optional<Accounts.Account> checkPassword(String user, String password, String address) throws SQLException {
        Optional<java.time.Duration> wait = throttle.attempt(user, address);
        if (wait.isPresent()) {
            LOG.warn("Sign-in refused for a while: too many failed attempts for this name or from {}", address);
            throw new AccessRefusedException(429, "Too many failed sign-ins: try again later", wait.get());
        }
        Optional<Accounts.Account> account = accounts.signIn(user, password);
        if (account.isEmpty()) {
            LOG.info("Failed sign-in from {}", address); // not the name: a password typed in its field would show
        } else {
            throttle.succeeded(user, address);
        }
        return account;
    }

    /** {@code DELETE /api/session}: ends the session and clears the cookie. */
    public void signOut(Caller caller, Exchange exchange) throws SQLException {
        if (caller.how() == Caller.How.SESSION) {
            sessions.end(caller);
        }
        Message in = exchange.getMessage();
        in.setHeader("Set-Cookie", WebSessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        in.setBody(null);
    }

    /** {@code GET /api/me}: who is asking, and the CSRF token the page sends with its changes. */
    public Map<String, Object> me(Caller caller) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("user", caller.user());
        me.put("admin", caller.admin());
        me.put("access", policy.required() ? "accounts" : "open");
        me.put("signed_in_by", caller.how().name().toLowerCase(java.util.Locale.ROOT));
        me.put("csrf_token", caller.how() == Caller.How.SESSION ? WebSessions.csrfToken(caller) : null);
        return me;
    }

    // ---------- API tokens --------------------------------------------------------------------

    public Map<String, List<ApiTokens.TokenInfo>> tokens(Caller caller) throws SQLException {
        return Map.of("tokens", tokens.list(person(caller)));
    }

    /** {@code POST /api/tokens} with {@code {"label": "Power BI"}}: 201 and the token, shown this once. */
    public ApiTokens.NewToken createToken(Caller caller, JsonNode body, Exchange exchange) throws SQLException {
        ApiTokens.NewToken token = tokens.create(person(caller), text(body, "label"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        LOG.info("{} made API token {} ({})", caller.user(), token.id(), token.label());
        return token;
    }

    public void revokeToken(Caller caller, String id, Exchange exchange) throws SQLException {
        if (!tokens.revoke(person(caller), id)) {
            throw new AccessRefusedException(404, "You have no API token " + id);
        }
        LOG.info("{} revoked API token {}", caller.user(), id);
        noContent(exchange);
    }

    // ---------- accounts (admins) -------------------------------------------------------------

    public Map<String, List<Accounts.Account>> accounts(Caller caller) throws SQLException {
        admin(caller);
        return Map.of("accounts", accounts.list());
    }

    /** {@code POST /api/accounts} with {@code {"user": "...", "password": "...", "admin": false}}. */
    public Accounts.Account createAccount(Caller caller, JsonNode body, Exchange exchange) throws SQLException {
        admin(caller);
        Accounts.Account made = accounts.create(text(body, "user"), text(body, "password"),
                body != null && body.path("admin").asBoolean(false));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        LOG.info("Account {} created{} by {}", made.user(), made.admin() ? " (admin)" : "", who(caller));
        return made;
    }

    public void deleteAccount(Caller caller, String user, Exchange exchange) throws SQLException {
        admin(caller);
        if (user.equals(caller.user())) {
            throw new AccessRefusedException(409, "You cannot remove your own account; another admin can");
        }
        if (!accounts.delete(user)) {
            throw new AccessRefusedException(404, "There is no account for " + user);
        }
        LOG.info("Account {} removed by {}", user, who(caller));
        noContent(exchange);
    }

    /**
     * {@code PUT /api/accounts/{user}/password} with {@code {"password": "..."}}: an admin sets
     * anyone's; a person their own, with {@code current_password} too. Other browsers signed in
     * to that account are signed out.
     */
    public void setPassword(Caller caller, String user, JsonNode body, Exchange exchange) throws SQLException {
        if (!caller.admin()) {
            if (!user.equals(caller.user())) {
                throw new AccessRefusedException(404, "There is no account for " + user);
            }
            // a guess of the current password is a sign-in: throttled alike (an API token may be asking)
            if (checkPassword(user, text(body, "current_password"), address(exchange)).isEmpty()) {
                throw new AccessRefusedException(403, "The current password is not right");
            }
        }
        accounts.setPassword(user, text(body, "password"));
        LOG.info("Password of {} changed by {}", user, who(caller));
        noContent(exchange);
    }

    // ---------- errors ------------------------------------------------------------------------

    /** The answer of a request that went wrong, for the access-errors route configuration. */
    public Map<String, String> error(Exception e, Exchange exchange) {
        Message in = exchange.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessRefusedException refused) {
                in.setHeader(Exchange.HTTP_RESPONSE_CODE, refused.getStatus());
                if (refused.getRetryAfterSeconds() != null) {
                    in.setHeader("Retry-After", refused.getRetryAfterSeconds());
                }
                return Map.of("error", refused.getMessage());
            }
            if (t instanceof AccountException) {
                in.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
                return Map.of("error", t.getMessage());
            }
            if (t instanceof JsonProcessingException) {
                in.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
                return Map.of("error", "The body is not JSON");
            }
        }
        LOG.error("Access API request {} failed", in.getHeader(Exchange.HTTP_URI), e);
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
        return Map.of("error", "Encore could not answer this request; the server log says why");
    }

    private String person(Caller caller) {
        if (caller.user() == null) {
            throw new AccessRefusedException(409, "Sign-in is off (" + policy.why() + "): API tokens belong to "
                    + "accounts, and none is needed here");
        }
        return caller.user();
    }

    private static void admin(Caller caller) {
        if (!caller.admin()) {
            throw new AccessRefusedException(403, "Only an admin manages accounts");
        }
    }

    private static String who(Caller caller) {
        return caller.user() == null ? "the local user" : caller.user();
    }

    private static String text(JsonNode body, String field) {
        return body == null || !body.path(field).isTextual() ? "" : body.get(field).asText();
    }

    private static String address(Exchange exchange) {
        return exchange.getMessage().getHeader(ADDRESS_HEADER, String.class);
    }

    private static void noContent(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        exchange.getMessage().setBody(null);
    }
}
