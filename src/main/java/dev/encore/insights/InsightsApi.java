package dev.encore.insights;

import dev.encore.access.Caller;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The insights REST API behind {@code routes/api.camel.yaml}: plain methods that take the
 * request's path and query parameters and answer objects, which the REST DSL writes as
 * snake_case JSON.
 */
public final class InsightsApi {
    private static final int MAX_LIMIT = 100;
    private static final int MAX_YEARS = 100;
    static final String SEND = "; send {\"time_zone\": \"Europe/Madrid\"}";

    private final InsightsStore store;
    private final ReportingZones zones;
    private final ListeningRules rules;
    private final Clock clock;
    private final WrappedSlots slots;

    public InsightsApi(InsightsStore store, ReportingZones zones, ListeningRules rules, Clock clock, WrappedSlots slots) {
        this.store = store;
        this.zones = zones;
        this.rules = rules;
        this.clock = clock;
        this.slots = slots;
    }

    /** {@code GET /api/users}: the users this caller may see (none without a caller). */
    public Map<String, List<UserSummary>> users(Caller caller) throws SQLException {
        return Map.of("users", store.users().stream()
                .filter(u -> caller != null && caller.maySee(u.user())).map(this::withZone).toList());
    }

    /**
     * {@code PUT /api/users/{user}} with {@code {"time_zone": "Europe/Madrid"}}; the body as the
     * REST DSL read it (null when there was none).
     */
    public UserSummary updateUser(String user, JsonNode body) throws SQLException {
        known(user);
        if (body == null || !body.path("time_zone").isTextual()) {
            throw new BadRequestException("The body has no time_zone" + SEND);
        }
        ZoneId zone = ReportingZones.parse(body.get("time_zone").asText(), "time_zone");
        if (!zones.setZone(user, zone)) {
            throw new UnknownUserException(user);
        }
        return store.users().stream().filter(u -> u.user().equals(user))
                .findFirst().map(this::withZone).orElseThrow(() -> new UnknownUserException(user));
    }

    /** {@code GET /api/users/{user}/wrapped}, from its decoded parameters (null: not given). */
    public Wrapped wrapped(String user, String period, String from, String to, String rank, String limit, String tz)
            throws SQLException {
        known(user);
        Optional<ZoneId> own = zones.zoneOf(user);
        if (own.isEmpty()) {
            throw new UnknownUserException(user);
        }
        ZoneId zone = tz == null || tz.isBlank() ? own.get() : ReportingZones.parse(tz, "tz");
        WrappedCalculator.Rank order = WrappedCalculator.Rank.parse(rank);
        int top = limit(limit);
        try (WrappedSlots.Turn turn = slots.take()) {
            // read with a turn only: a burst holds at most the running folds' histories, one turned away none
            ListeningHistory history = store.history(user);
            Period p = Period.resolve(period, from, to, LocalDate.now(clock.withZone(zone)), () -> extent(history, zone));
            // the databases hold years up to 9999; a date past that would reach them and fail there
            if (p.from().getYear() < 1900 || p.to().getYear() > 9999 || p.days() > MAX_YEARS * 366L) {
                throw new BadRequestException("The period " + p.from() + " to " + p.to()
                        + " is out of range: from 1900 to 9999, at most " + MAX_YEARS + " years");
            }
            WrappedCalculator calculator = new WrappedCalculator(rules, store.catalogue(), zone, p, order);
            history.forEach(calculator.previousFromSecond(), calculator.toSecond(), calculator::accept);
            Set<String> heardBefore = store.heardBefore(user, calculator.fromSecond(), rules);
            return calculator.result(user, zone, p, top, heardBefore);
        }
    }

    /**
     * The answer of a request that went wrong, for the {@code api-errors} route configuration
     * (which may hand over the exception wrapped). A request's only JSON is the PUT's body, so a
     * JSON parse error is that body's.
     */
    public Map<String, String> error(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return Map.of("error", "The body is not JSON" + SEND);
            }
            if (t instanceof BadRequestException || t instanceof UnknownUserException || t instanceof BusyException) {
                return Map.of("error", t.getMessage());
            }
        }
        return Map.of("error", "Encore could not answer this request; the server log says why");
    }

    /**
     * A name no import could have made (a NUL, a slash, 101 characters) is nobody, said before it
     * reaches the database, which would refuse some of them with an error of its own.
     */
    static void known(String user) {
        if (!dev.encore.intake.SourceUsers.isValid(user)) {
            throw new UnknownUserException(user == null ? "" : user.replaceAll("\\p{Cntrl}", "?"));
        }
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

    /** A user as listed: with the zone their report uses, the default one unless they set their own. */
    private UserSummary withZone(UserSummary u) {
        return u.timeZone() != null ? u
                : new UserSummary(u.user(), u.streams(), u.firstStream(), u.lastStream(), zones.defaultZone().getId(),
                        u.openGaps());
    }
}
