package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The way every existing installation goes: a database built up to V5 (which created the views
 * itself) takes R__reporting_views.sql at the next start, and an unchanged R__ is not run again.
 */
class ReportingViewsMigrationTest {
    private static final List<String> VIEWS = List.of("v_stream_enriched", "v_daily_listening", "v_hourly_listening",
            "v_yearly_top_tracks", "v_yearly_top_artists", "v_yearly_top_genres");
    /** The views over the Web API's tables (V9), which R__ adds. */
    private static final List<String> API_VIEWS = List.of("v_playlist_item", "v_top_item", "v_saved_track", "v_listening_gap");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDatabaseAtV5TakesTheRepeatableViewsOnce(String kind) throws Exception {
        try (TestDatabase db = TestDatabases.create(kind)) {
            // Encore before R__ existed: the versioned migrations only
            flyway(db).repeatableSqlMigrationPrefix("not-yet").target("5").load().migrate();
            assertThat(reportingViewRuns(db)).isZero();
            assertViewsAnswer(db);

            Database.open(db.url(), db.user(), "", 2).close();
            assertThat(reportingViewRuns(db)).isEqualTo(1);
            assertViewsAnswer(db);
            assertViewsAnswer(db, API_VIEWS);

            Database.open(db.url(), db.user(), "", 2).close();
            assertThat(reportingViewRuns(db)).as("unchanged, so not run again").isEqualTo(1);
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestDatabase db) {
        return Flyway.configure().dataSource(db.url(), db.user(), "").locations("classpath:db/migration")
                .placeholders(Dialect.fromJdbcUrl(db.url()).flywayPlaceholders());
    }

    private static long reportingViewRuns(TestDatabase db) {
        MigrationInfo[] applied = flyway(db).load().info().applied();
        return Arrays.stream(applied).filter(m -> m.getScript().equals("R__reporting_views.sql"))
                .peek(m -> assertThat(m.getState().isFailed()).isFalse()).count();
    }

    private static void assertViewsAnswer(TestDatabase db) throws Exception {
        assertViewsAnswer(db, VIEWS);
    }

    private static void assertViewsAnswer(TestDatabase db, List<String> views) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            for (String view : views) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + view)) {
                    assertThat(rs.next()).as(view).isTrue();
                }
            }
        }
    }
}
