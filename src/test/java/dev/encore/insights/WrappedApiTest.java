package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.encore.insights.ListeningOracle.Top;
import dev.encore.insights.ListeningOracle.Totals;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/users/{user}/wrapped} over real exports, on H2 and PostgreSQL: every number equals
 * what {@link ListeningOracle} works out from the raw JSON, for several periods, time zones and
 * both rank modes.
 */
class WrappedApiTest {

    @ParameterizedTest(name = "{0}: {1} {2}..{3} in {4}, by {5}")
    @CsvSource({
            "h2,         erin, 2024-01-01, 2025-01-01, UTC,                 minutes",
            "postgresql, erin, 2024-01-01, 2024-04-01, America/Los_Angeles, plays",
            "h2,         efr,  2023-01-01, 2023-11-16, Asia/Kolkata,        minutes",
            "postgresql, efr,  2024-07-01, 2026-06-01, Europe/Madrid,       plays",
            "postgresql, lena, 2016-01-01, 2021-01-01, Australia/Adelaide,  minutes",
            "h2,         cee,  2024-12-07, 2025-01-04, Pacific/Auckland,    plays",
            "postgresql, priv, 2024-03-01, 2024-03-05, Europe/Berlin,       minutes",
    })
    void everyNumberOfAPeriodMatchesTheRawExport(String kind, String user, LocalDate from, LocalDate to, ZoneId zone,
            String rank) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        ListeningOracle oracle = fixture.oracle(user);
        JsonNode w = fixture.ok("/api/users/" + user + "/wrapped?from=" + from + "&to=" + to + "&tz=" + zone
                + "&rank=" + rank + "&limit=15");
        boolean byPlays = rank.equals("plays");

        assertThat(w.path("time_zone").asText()).isEqualTo(zone.getId());
        Totals expected = oracle.totals(from, to, zone);
        assertThat(expected.streams()).as("the period must hold data for the test to mean anything").isGreaterThan(3);
        assertTotals(w.path("totals"), expected);
        LocalDate before = from.minusDays(to.toEpochDay() - from.toEpochDay());
        assertThat(w.path("previous").path("from").asText()).isEqualTo(before.toString());
        assertTotals(w.path("previous").path("totals"), oracle.totals(before, from, zone));

        assertThat(longs(w.path("by_hour"))).containsExactly(oracle.msByHour(from, to, zone));
        assertThat(longs(w.path("by_weekday"))).containsExactly(oracle.msByWeekday(from, to, zone));
        Map<String, Long> days = new LinkedHashMap<>();
        w.path("by_day").forEach(d -> days.put(d.path("date").asText(), d.path("ms_played").asLong()));
        assertThat(days).containsExactlyEntriesOf(oracle.msByDay(from, to, zone));
        assertThat(w.path("by_month").findValues("ms_played").stream().mapToLong(JsonNode::asLong).sum())
                .isEqualTo(expected.ms());

        assertThat(top(w.path("top_tracks"), byPlays)).containsExactlyElementsOf(
                expectedTop(oracle.topTracks(from, to, zone, byPlays, 15), byPlays));
        assertThat(top(w.path("top_artists"), byPlays)).containsExactlyElementsOf(
                expectedTop(oracle.topArtists(from, to, zone, byPlays, 15), byPlays));

        assertThat(w.path("new_artists").path("count").asInt()).isEqualTo(oracle.newArtists(from, to, zone));
        assertThat(w.path("longest_streak_days").asInt()).isEqualTo(oracle.longestStreak(from, to, zone));
        Double skipRate = oracle.skipRate(from, to, zone);
        if (skipRate == null) {
            assertThat(w.path("skip_rate").isNull()).isTrue();
        } else {
            assertThat(w.path("skip_rate").asDouble()).isCloseTo(skipRate, within(1e-9));
        }
        assertThat(w.path("podcasts").path("ms_played").asLong()).isEqualTo(oracle.podcastMs(from, to, zone));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void privateSessionsAndNamelessRowsAreLeftOutWhileLocalFilesAndPodcastsCount(String kind) throws Exception {
        JsonNode w = InsightsFixture.on(kind).ok("/api/users/priv/wrapped?from=2024-03-01&to=2024-03-05");
        // Song A 200 s + Home Demo 150 s (a local file) + Song A 10 s + Song C 240 s; not Song B (private), not the nameless row
        assertThat(w.path("totals").path("ms_played").asLong()).isEqualTo(600_000);
        assertThat(w.path("totals").path("streams").asInt()).isEqualTo(4);
        assertThat(w.path("totals").path("plays").asInt()).isEqualTo(3);
        assertThat(w.path("top_tracks").findValuesAsText("name")).containsExactly("Song C", "Song A", "Home Demo");
        assertThat(w.path("top_tracks").get(2).path("uri").isNull()).isTrue();
        assertThat(w.path("top_artists").findValuesAsText("name")).containsExactly("Artist Y", "Artist X", "Me"); // 240 s, 210 s, 150 s
        assertThat(w.path("podcasts").path("ms_played").asLong()).isEqualTo(1_200_000);
        assertThat(w.path("podcasts").path("top_shows").get(0).path("name").asText()).isEqualTo("Show S");
        assertThat(w.path("skip_rate").asDouble()).isCloseTo(1 / 3.0, within(1e-9)); // 1 of the 3 with the flag
        assertThat(w.path("longest_streak_days").asInt()).isEqualTo(2); // plays on Mar 1 and 2, then Mar 4 (UTC)
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anArtistFirstHeardInAPrivateSessionIsNewWhenHeardOpenlyWhateverOrderTheExportsCameIn(String kind)
            throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        List<java.nio.file.Path> files = PrivateSessionExport.privateFirstPlayInBothExports(
                java.nio.file.Path.of("target", "insights-fixture", "private-first"));
        for (String order : List.of("extended-first", "account-first")) {
            String user = "private-" + order;
            List<java.nio.file.Path> sequence = order.equals("extended-first") ? files : List.of(files.get(1), files.get(0));
            sequence.forEach(file -> fixture.load(user, file));
            JsonNode january = fixture.ok("/api/users/" + user + "/wrapped?from=2024-01-01&to=2024-02-01");
            assertThat(january.path("totals").path("streams").asInt()).as(order + ": the private stream").isZero();
            JsonNode february = fixture.ok("/api/users/" + user + "/wrapped?from=2024-02-01&to=2024-03-01");
            assertThat(february.path("new_artists").path("count").asInt()).as(order).isEqualTo(1);
            assertThat(february.path("new_artists").path("top").get(0).path("name").asText()).isEqualTo("Artist Z");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void requestHeadersAreNotTakenForParameters(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        String query = "/api/users/efr/wrapped?period=year:2024";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.baseUrl + query))
                        .header("From", "crawler@example.com").header("Tz", "Asia/Tokyo").header("Rank", "loudest").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode w = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(w.path("time_zone").asText()).isEqualTo("UTC");
        assertThat(w.path("totals")).isEqualTo(fixture.ok(query).path("totals"));
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("from") || h.equalsIgnoreCase("tz"));
    }

    @Test
    void answersCarryNoHeaderOfTheRequestNorOfCamel() throws Exception {
        InsightsFixture fixture = InsightsFixture.on("h2");
        for (String path : List.of("/api/users", "/api/users/efr/wrapped?period=year:2024&CamelHttpResponseCode=500",
                "/api/users/nobody/wrapped?tz=UTC", "/api/enrichment")) {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.baseUrl + path))
                            .header("X-Probe", "1").header("Tz", "Asia/Tokyo").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isIn(200, 404);
            // the status and body's own headers, and the access gate's framing and sniffing refusals (docs/access.md)
            assertThat(r.headers().map().keySet()).as(path)
                    .allMatch(h -> List.of(":status", "content-type", "content-length", "transfer-encoding").contains(h.toLowerCase())
                            || dev.encore.access.AccessGate.ANSWER_HEADERS.keySet().stream().anyMatch(h::equalsIgnoreCase));
        }
    }

    @Test
    void aQueryParameterCannotSetAResponseHeader() throws Exception {
        InsightsFixture fixture = InsightsFixture.on("h2");
        // echoed in the 400's JSON; as text/html it would run on the dashboard's origin
        String attack = "/api/users/efr/wrapped?limit=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
                + "&content-type=text/html&Cache-Control=public&accept=text/html&Content-Length=1";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.baseUrl + attack)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.headers().firstValue("cache-control")).isEmpty();
        assertThat(r.body()).contains("limit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aYearIsComparedWithTheYearBeforeAndWrappedWithTheSameWindowAYearBefore(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        ListeningOracle oracle = fixture.oracle("efr");
        ZoneId utc = ZoneId.of("UTC");
        JsonNode year = fixture.ok("/api/users/efr/wrapped?period=year:2024");
        assertThat(year.path("previous").path("from").asText()).isEqualTo("2023-01-01");
        assertThat(year.path("previous").path("to").asText()).isEqualTo("2024-01-01");
        assertTotals(year.path("previous").path("totals"), oracle.totals(LocalDate.of(2023, 1, 1), LocalDate.of(2024, 1, 1), utc));
        JsonNode wrapped = fixture.ok("/api/users/efr/wrapped?period=wrapped:2024");
        assertThat(wrapped.path("previous").path("to").asText()).isEqualTo("2023-11-16");
        Totals before = oracle.totals(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 11, 16), utc);
        assertThat(before.streams()).as("the window a year before has data").isPositive();
        assertTotals(wrapped.path("previous").path("totals"), before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void presetsNameTheirDaysInTheUsersZone(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        JsonNode year = fixture.ok("/api/users/efr/wrapped?period=year:2024");
        assertThat(year.path("from").asText()).isEqualTo("2024-01-01");
        assertThat(year.path("to").asText()).isEqualTo("2025-01-01");
        JsonNode wrapped = fixture.ok("/api/users/efr/wrapped?period=wrapped:2023&tz=Asia/Tokyo");
        assertThat(wrapped.path("to").asText()).isEqualTo("2023-11-16");
        ListeningOracle oracle = fixture.oracle("efr");
        assertTotals(wrapped.path("totals"),
                oracle.totals(LocalDate.of(2023, 1, 1), LocalDate.of(2023, 11, 16), ZoneId.of("Asia/Tokyo")));

        // all: from the first to the last local day of the history
        JsonNode all = fixture.ok("/api/users/efr/wrapped?period=all&tz=America/New_York");
        assertThat(all.path("from").asText())
                .isEqualTo(oracle.first(ZoneId.of("America/New_York")).toLocalDate().toString());
        assertThat(all.path("totals").path("ms_played").asLong()).isEqualTo(
                oracle.totals(LocalDate.of(2000, 1, 1), LocalDate.of(2100, 1, 1), ZoneId.of("America/New_York")).ms());

        JsonNode last = fixture.ok("/api/users/efr/wrapped?period=last:4w");
        assertThat(LocalDate.parse(last.path("to").asText()).toEpochDay()
                - LocalDate.parse(last.path("from").asText()).toEpochDay()).isEqualTo(28);
        // (around midnight the server's today may already be the next day)
        LocalDate today = LocalDate.now(ZoneId.of("UTC"));
        assertThat(last.path("to").asText()).isIn(today.plusDays(1).toString(), today.plusDays(2).toString());
        assertThat(last.path("by_hour").size()).isEqualTo(24);
        assertThat(last.path("by_weekday").size()).isEqualTo(7);
        assertThat(last.path("by_day").size()).isEqualTo(28);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aUsersOwnTimeZoneMovesTheirDaysAndHours(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        String query = "/api/users/cee/wrapped?from=2024-12-07&to=2025-02-12";
        JsonNode utc = fixture.ok(query);
        assertThat(utc.path("time_zone").asText()).isEqualTo("UTC");

        JsonNode user = fixture.put("/api/users/cee", "{\"time_zone\": \"America/Sao_Paulo\"}").body();
        try {
            assertThat(user.path("time_zone").asText()).isEqualTo("America/Sao_Paulo");
            JsonNode local = fixture.ok(query);
            ZoneId zone = ZoneId.of("America/Sao_Paulo");
            ListeningOracle oracle = fixture.oracle("cee");
            assertThat(local.path("time_zone").asText()).isEqualTo(zone.getId());
            assertThat(longs(local.path("by_hour"))).containsExactly(
                    oracle.msByHour(LocalDate.of(2024, 12, 7), LocalDate.of(2025, 2, 12), zone));
            assertThat(longs(local.path("by_hour"))).isNotEqualTo(longs(utc.path("by_hour")));
            assertThat(fixture.ok("/api/users").findValues("time_zone").stream().map(JsonNode::asText))
                    .contains("America/Sao_Paulo");
        } finally {
            fixture.put("/api/users/cee", "{\"time_zone\": \"UTC\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void usersAreListedWithTheExtentOfTheirHistory(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        JsonNode users = fixture.ok("/api/users").path("users");
        List<String> names = new ArrayList<>();
        users.forEach(u -> names.add(u.path("user").asText()));
        assertThat(names).containsAll(InsightsFixture.USERS.keySet());
        for (JsonNode u : users) {
            if (u.path("user").asText().equals("efr")) {
                assertThat(u.path("first_stream").asText()).isEqualTo("2022-05-22T13:01:24Z");
                assertThat(u.path("last_stream").asText()).isEqualTo("2026-05-31T08:49:24Z");
                assertThat(u.path("streams").asLong()).isEqualTo(
                        fixture.app.count("SELECT COUNT(*) FROM stream WHERE user_id = 'efr'"));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/users/erin/wrapped?from=2024-13-01&to=2025-01-01 | 400 | from '2024-13-01' is not a date",
            "/api/users/erin/wrapped?from=2024-02-01&to=2024-01-01 | 400 | must be before to",
            "/api/users/erin/wrapped?from=2024-02-01               | 400 | Give both from and to",
            "/api/users/erin/wrapped?period=all&from=2024-01-01&to=2024-02-01 | 400 | either period or from and to",
            "/api/users/erin/wrapped?period=year:24                | 400 | period 'year:24' is not one of",
            "/api/users/erin/wrapped?rank=loudest                  | 400 | rank 'loudest' is not minutes or plays",
            "/api/users/erin/wrapped?limit=0                       | 400 | limit '0' is not a number from 1 to 100",
            "/api/users/erin/wrapped?limit=ten                     | 400 | limit 'ten'",
            "/api/users/erin/wrapped?tz=Mars/Olympus               | 400 | tz 'Mars/Olympus' is not a time zone",
            "/api/users/erin/wrapped?from=1066-10-14&to=2024-01-01 | 400 | out of range",
            "/api/users/nobody/wrapped                             | 404 | No user 'nobody'",
            "/api/users/a+b/wrapped                                | 404 | No user 'a+b'",
    })
    void badRequestsAreRefusedWithAMessageThatSaysWhatIsWrong(String path, int status, String message) throws Exception {
        InsightsFixture.Answer answer = InsightsFixture.on("h2").get(path);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().path("error").asText()).contains(message);
    }

    /** Values that once reached PostgreSQL and came back as 500: refused before any database sees them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "h2         | /api/users/erin/wrapped?from=%2B999999999-12-30&to=%2B999999999-12-31 | 400 | out of range",
            "postgresql | /api/users/erin/wrapped?from=%2B999999999-12-30&to=%2B999999999-12-31 | 400 | out of range",
            "postgresql | /api/users/erin/wrapped?from=9999-12-30&to=%2B10000-01-01              | 400 | out of range",
            "h2         | /api/users/alex%00/wrapped                                             | 404 | No user 'alex?'",
            "postgresql | /api/users/alex%00/wrapped                                             | 404 | No user 'alex?'",
            "postgresql | /api/users/%E2%80%8B/wrapped                                            | 404 | No user",
    })
    void valuesNoDatabaseHoldsAreClientErrors(String kind, String path, int status, String message) throws Exception {
        InsightsFixture.Answer answer = InsightsFixture.on(kind).get(path);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().path("error").asText()).contains(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/users/erin | {\"time_zone\": \"Nowhere/Special\"} | 400 | time_zone 'Nowhere/Special' is not a time zone",
            "/api/users/erin | {\"zone\": \"UTC\"}                  | 400 | no time_zone",
            "/api/users/erin | not json                             | 400 | not JSON",
            "/api/users/ghost | {\"time_zone\": \"UTC\"}            | 404 | No user 'ghost'",
            "/api/users/gh%00st | {\"time_zone\": \"UTC\"}          | 404 | No user 'gh?st'",
    })
    void aTimeZoneIsOnlySetWhenItIsOne(String path, String body, int status, String message) throws Exception {
        InsightsFixture.Answer answer = InsightsFixture.on("h2").put(path, body);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().path("error").asText()).contains(message);
    }

    static void assertTotals(JsonNode actual, Totals expected) {
        assertThat(actual.path("ms_played").asLong()).as("ms_played").isEqualTo(expected.ms());
        assertThat(actual.path("minutes").asDouble()).as("minutes").isCloseTo(expected.ms() / 60000.0, within(0.005));
        assertThat(actual.path("plays").asInt()).as("plays").isEqualTo(expected.plays());
        assertThat(actual.path("streams").asInt()).as("streams").isEqualTo(expected.streams());
        assertThat(actual.path("distinct_tracks").asInt()).as("distinct_tracks").isEqualTo(expected.tracks());
        assertThat(actual.path("distinct_artists").asInt()).as("distinct_artists").isEqualTo(expected.artists());
        assertThat(actual.path("distinct_albums").asInt()).as("distinct_albums").isEqualTo(expected.albums());
        assertThat(actual.path("days_listened").asInt()).as("days_listened").isEqualTo(expected.days());
    }

    /** A top list as (normalised name, the ranked measure): names that tie fully are interchangeable. */
    static List<String> top(JsonNode list, boolean byPlays) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(ListeningOracle.norm(e.path("name").asText())
                + " = " + (byPlays ? e.path("plays").asLong() : e.path("ms_played").asLong())));
        return out;
    }

    static List<String> expectedTop(List<Top> tops, boolean byPlays) {
        return tops.stream().map(t -> t.key() + " = " + (byPlays ? t.plays() : t.ms())).toList();
    }

    private static long[] longs(JsonNode slots) {
        long[] out = new long[slots.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = slots.get(i).path("ms_played").asLong();
        }
        return out;
    }
}
