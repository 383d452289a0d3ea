package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Heavy answers under load (issue 12, item 9): a long period's {@code by_day} series is weekly or
 * monthly and says so, so no answer grows with the length of the period past a bound, and a burst
 * of requests beyond the running ones and the queue is turned away with 503 and Retry-After
 * instead of taking the heap. Over HTTP against the real application on H2.
 */
class HeavyAnswersTest {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void aCenturyIsAMonthlySeriesThatSaysSoAndStaysSmall() throws Exception {
        InsightsFixture fixture = InsightsFixture.on("h2");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(fixture.baseUrl + "/api/users/efr/wrapped?from=1930-01-01&to=2030-01-01")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        // every day of a century was 2.27 MB
        assertThat(r.body().length()).isLessThan(200_000);
        JsonNode w = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(w.path("by_day_unit").asText()).isEqualTo("month");
        assertThat(w.path("by_day").size()).isEqualTo(1200);
        assertThat(w.path("by_day").get(0).path("date").asText()).isEqualTo("1930-01-01");
        assertThat(w.path("by_day").get(1199).path("date").asText()).isEqualTo("2029-12-01");
        assertThat(w.path("by_day").findValues("ms_played").stream().mapToLong(JsonNode::asLong).sum())
                .isEqualTo(w.path("totals").path("ms_played").asLong()).isPositive();
    }

    @Test
    void aDecadeIsAWeeklySeriesOfTheRawExportsDays() throws Exception {
        InsightsFixture fixture = InsightsFixture.on("h2");
        LocalDate from = LocalDate.of(2016, 1, 1); // a Friday: the first week is three days long
        LocalDate to = LocalDate.of(2026, 1, 1);
        JsonNode w = fixture.ok("/api/users/lena/wrapped?from=" + from + "&to=" + to);
        assertThat(w.path("by_day_unit").asText()).isEqualTo("week");

        Map<String, Long> weeks = new LinkedHashMap<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            LocalDate monday = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            weeks.putIfAbsent((monday.isBefore(from) ? from : monday).toString(), 0L);
        }
        fixture.oracle("lena").msByDay(from, to, UTC).forEach((day, ms) -> {
            LocalDate monday = LocalDate.parse(day).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            weeks.merge((monday.isBefore(from) ? from : monday).toString(), ms, Long::sum);
        });
        Map<String, Long> shown = new LinkedHashMap<>();
        w.path("by_day").forEach(e -> shown.put(e.path("date").asText(), e.path("ms_played").asLong()));
        assertThat(shown).containsExactlyEntriesOf(weeks);
        assertThat(shown.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }

    @Test
    void fiveYearsAreStillDaily() throws Exception {
        JsonNode w = InsightsFixture.on("h2").ok("/api/users/lena/wrapped?from=2016-01-01&to=2021-01-01");
        assertThat(w.path("by_day_unit").asText()).isEqualTo("day");
        assertThat(w.path("by_day").size()).isEqualTo(1827);
    }

    @Test
    void aBurstPastTheRunningAndTheWaitingIsTurnedAwayWith503AndRetryAfterAndTheQueueIsServed() throws Exception {
        InsightsFixture fixture = InsightsFixture.on("h2");
        WrappedSlots slots = fixture.app.camel().getRegistry().lookupByNameAndType("wrappedSlots", WrappedSlots.class);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(fixture.baseUrl + "/api/users/lena/wrapped?period=year:2017")).build();
        // the test holds both running turns (encore.insights.max-running = 2)
        List<WrappedSlots.Turn> held = new ArrayList<>(List.of(slots.take(), slots.take()));
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) { // encore.insights.max-waiting
                queued.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(WAIT).until(() -> slots.waiting() == 16);

            HttpResponse<String> turnedAway = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(turnedAway.statusCode()).isEqualTo(503);
            assertThat(turnedAway.headers().firstValue("retry-after")).hasValue("1");
            assertThat(turnedAway.body()).contains("\"error\"").contains("ask again");
            assertThat(queued).noneMatch(CompletableFuture::isDone);
        } finally {
            held.forEach(WrappedSlots.Turn::close);
        }
        for (CompletableFuture<HttpResponse<String>> answer : queued) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }
        assertThat(slots.waiting()).isZero();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
}
