package dev.encore.insights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.encore.insights.InsightsStore.UserSummary;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The insights REST API behind the {@code api-*} routes: plain methods that take the request's
 * path and query parameters and answer JSON.
 */
public final class InsightsApi {
    private static final int MAX_LIMIT = 100;
    private static final int MAX_YEARS = 100;

    private final InsightsStore store;
    private final ReportingZones zones;
    private final ListeningRules rules;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public InsightsApi(InsightsStore store, ReportingZones zones, ListeningRules rules, Clock clock) {
        this.store = store;
        this.zones = zones;
        this.rules = rules;
        this.clock = clock;
    }

    /** {@code GET /api/users} */
    public String users() throws SQLException, JsonProcessingException {
        List<Map<String, Object>> users = store.users().stream().map(this::describe).toList();
        return json.writeValueAsString(Map.of("users", users));
    }

    /** {@code PUT /api/users/{user}} with {@code {"time_zone": "Europe/Madrid"}} */
    public String updateUser(@Header(Exchange.HTTP_URI) String uri, String body) throws SQLException, JsonProcessingException {
        String user = userOf(uri);
        JsonNode request;
        try {
            request = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("The body is not JSON; send {\"time_zone\": \"Europe/Madrid\"}");
        }
        if (request == null || !request.path("time_zone").isTextual()) {
            throw new BadRequestException("The body has no time_zone; send {\"time_zone\": \"Europe/Madrid\"}");
        }
        ZoneId zone = ReportingZones.parse(request.get("time_zone").asText(), "time_zone");
        if (!zones.setZone(user, zone)) {
            throw new UnknownUserException(user);
        }
        return json.writeValueAsString(store.users().stream().filter(u -> u.user().equals(user))
                .findFirst().map(this::describe).orElseThrow(() -> new UnknownUserException(user)));
    }

    /**
     * {@code GET /api/users/{user}/wrapped}. The user and the parameters are read from the URI
     * itself: platform-http also copies request headers into the message headers, so a crawler's
     * {@code From:} header would otherwise pass for the {@code from} parameter.
     */
    public String wrapped(@Header(Exchange.HTTP_URI) String uri, @Header(Exchange.HTTP_QUERY) String query)
            throws SQLException, JsonProcessingException {
        Map<String, String> q = parameters(query);
        return json.writeValueAsString(report(userOf(uri), q.get("period"), q.get("from"), q.get("to"), q.get("rank"),
                q.get("limit"), q.get("tz")));
    }

    /** The {user} of /api/users/{user}[/...]. */
    static String userOf(String uri) {
        String path = uri == null ? "" : uri.split("\\?", 2)[0];
        String[] segments = path.split("/");
        if (segments.length < 4 || segments[3].isEmpty()) {
            throw new BadRequestException("No user in " + path);
        }
        // a path is not a form: '+' is a plus there, not a space
        return URLDecoder.decode(segments[3].replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A query string's parameters, decoded; the first of a repeated name counts. */
    static Map<String, String> parameters(String query) {
        Map<String, String> out = new java.util.HashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("'" + pair + "' in the query is not valid URL encoding");
            }
        }
        return out;
    }

    /** The answer of {@code /wrapped} as an object, from already decoded parameters (null: not given). */
    public Wrapped report(String user, String period, String from, String to, String rank, String limit, String tz)
            throws SQLException {
        Optional<ZoneId> own = zones.zoneOf(user);
        if (own.isEmpty()) {
            throw new UnknownUserException(user);
        }
        ZoneId zone = tz == null || tz.isBlank() ? own.get() : ReportingZones.parse(tz, "tz");
        WrappedCalculator.Rank order = WrappedCalculator.Rank.parse(rank);
        int top = limit(limit);
        ListeningHistory history = store.history(user);
        Period p = Period.resolve(period, from, to, LocalDate.now(clock.withZone(zone)), () -> extent(history, zone));
        if (p.from().getYear() < 1900 || p.days() > MAX_YEARS * 366L) {
            throw new BadRequestException("The period " + p.from() + " to " + p.to()
                    + " is out of range: from 1900 on, at most " + MAX_YEARS + " years");
        }
        WrappedCalculator calculator = new WrappedCalculator(rules, store.catalogue(), zone, p, order);
        history.forEach(calculator.previousFromSecond(), calculator.toSecond(), calculator::accept);
        Set<String> heardBefore = store.heardBefore(user, calculator.fromSecond(), rules);
        return calculator.result(user, zone, p, top, heardBefore);
    }

    /** The JSON of an error, as the {@code api-errors} route configuration answers it. */
    public String error(Exception e) throws JsonProcessingException {
        return json.writeValueAsString(Map.of("error", e.getMessage()));
    }

    private static Optional<Period> extent(ListeningHistory history, ZoneId zone) {
        long[] e = history.extent();
        return e == null ? Optional.empty() : Optional.of(new Period(LocalDate.ofInstant(Instant.ofEpochSecond(e[0]), zone),
                LocalDate.ofInstant(Instant.ofEpochSecond(e[1]), zone).plusDays(1), "all"));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 10;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadRequestException("limit '" + value + "' is not a number from 1 to " + MAX_LIMIT);
    }

    private Map<String, Object> describe(UserSummary u) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("user", u.user());
        m.put("streams", u.streams());
        m.put("first_stream", u.firstStream());
        m.put("last_stream", u.lastStream());
        m.put("time_zone", u.timeZone() == null ? zones.defaultZone().getId() : u.timeZone());
        return m;
    }
}
