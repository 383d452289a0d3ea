package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL views Power BI and Synapse read give the API's numbers, in the user's time zone, on
 * H2 and PostgreSQL. Adelaide's half-hour offset and daylight saving time make a wrong
 * conversion show.
 */
class ReportingViewsTest {
    private static final String USER = "lena";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void dailyAndHourlyListeningEqualTheApiInTheUsersZone(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        fixture.put("/api/users/" + USER, "{\"time_zone\": \"Australia/Adelaide\"}");
        try (Connection c = DriverManager.getConnection(fixture.db.url(), fixture.db.user(), "")) {
            JsonNode api = fixture.ok("/api/users/" + USER + "/wrapped?period=year:2017");

            Map<String, Long> apiDays = new LinkedHashMap<>();
            api.path("by_day").forEach(d -> {
                if (d.path("ms_played").asLong() > 0) {
                    apiDays.put(d.path("date").asText(), d.path("ms_played").asLong());
                }
            });
            Map<String, Long> viewDays = new LinkedHashMap<>();
            long streams = 0;
            long plays = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT local_date, ms_played, streams, plays FROM v_daily_listening "
                    + "WHERE user_id = ? AND local_date >= ? AND local_date < ? ORDER BY local_date")) {
                ps.setString(1, USER);
                ps.setObject(2, LocalDate.of(2017, 1, 1));
                ps.setObject(3, LocalDate.of(2018, 1, 1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getLong(2) > 0) { // by_day lists every day; a day of 0 ms streams only is 0 there
                            viewDays.put(rs.getObject(1, LocalDate.class).toString(), rs.getLong(2));
                        }
                        streams += rs.getLong(3);
                        plays += rs.getLong(4);
                    }
                }
            }
            assertThat(viewDays).isNotEmpty().containsExactlyEntriesOf(apiDays);
            assertThat(streams).isEqualTo(api.path("totals").path("streams").asLong());
            assertThat(plays).isEqualTo(api.path("totals").path("plays").asLong());

            long[] viewHours = new long[24];
            try (PreparedStatement ps = c.prepareStatement("SELECT local_hour, SUM(ms_played) FROM v_hourly_listening "
                    + "WHERE user_id = ? AND local_date >= ? AND local_date < ? GROUP BY local_hour")) {
                ps.setString(1, USER);
                ps.setObject(2, LocalDate.of(2017, 1, 1));
                ps.setObject(3, LocalDate.of(2018, 1, 1));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        viewHours[rs.getInt(1)] = rs.getLong(2);
                    }
                }
            }
            long[] apiHours = new long[24];
            api.path("by_hour").forEach(h -> apiHours[h.path("hour").asInt()] = h.path("ms_played").asLong());
            assertThat(viewHours).containsExactly(apiHours);
        } finally {
            fixture.put("/api/users/" + USER, "{\"time_zone\": \"UTC\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void yearlyTopsEqualTheApisTopsOfThatYear(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        JsonNode api = fixture.ok("/api/users/efr/wrapped?period=year:2024&limit=20");
        try (Connection c = DriverManager.getConnection(fixture.db.url(), fixture.db.user(), "")) {
            assertThat(rows(c, "SELECT track_name, ms_played FROM v_yearly_top_tracks WHERE user_id = 'efr' "
                    + "AND local_year = 2024 ORDER BY ms_played DESC, track_name"))
                    .containsExactlyElementsOf(WrappedApiTest.top(api.path("top_tracks"), false));
            assertThat(rows(c, "SELECT artist_name, ms_played FROM v_yearly_top_artists WHERE user_id = 'efr' "
                    + "AND local_year = 2024 ORDER BY ms_played DESC, artist_name"))
                    .containsExactlyElementsOf(WrappedApiTest.top(api.path("top_artists"), false));
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(minutes), COUNT(*) FROM v_stream_enriched "
                    + "WHERE user_id = 'efr' AND local_year = 2024 AND is_music = 1 AND is_incognito = 0");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getDouble(1)).isCloseTo(api.path("totals").path("minutes").asDouble(), within(0.01));
                assertThat(rs.getLong(2)).isEqualTo(api.path("totals").path("streams").asLong());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void everyStreamAppearsInTheEnrichedViewWithItsLocalTime(String kind) throws Exception {
        InsightsFixture fixture = InsightsFixture.on(kind);
        assertThat(fixture.app.count("SELECT COUNT(*) FROM v_stream_enriched"))
                .isEqualTo(fixture.app.count("SELECT COUNT(*) FROM stream"));
        assertThat(fixture.app.count("SELECT COUNT(*) FROM v_stream_enriched WHERE ts_local IS NULL")).isZero();
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next() && out.size() < 20) {
                out.add(ListeningOracle.norm(rs.getString(1)) + " = " + rs.getLong(2));
            }
        }
        return out;
    }
}
