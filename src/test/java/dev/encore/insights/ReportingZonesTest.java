package dev.encore.insights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The BI views' local time: every user's UTC offsets follow their zone, or the default when they have none. */
class ReportingZonesTest {
    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId LIMA = ZoneId.of("America/Lima");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aStartRewritesTheOffsetsOfExactlyTheUsersWhoseZoneIsNotTheOneInForce(String kind) throws Exception {
        try (TestDatabase db = TestDatabases.create(kind); Database database = Database.open(db.url(), db.user(), "", 2)) {
            for (String user : new String[] {"follows-default", "own-zone", "blank-zone", "new"}) {
                addUser(db, user);
            }
            ReportingZones before = new ReportingZones(database.dataSource(), MADRID);
            before.ensure("follows-default");
            before.ensure("blank-zone");
            before.setZone("own-zone", TOKYO);
            setStoredZone(db, "blank-zone", "  ");

            // restarted with another default zone
            new ReportingZones(database.dataSource(), LIMA).ensureAll();

            assertThat(zonesOf(db, "follows-default")).as("follows the new default").isEqualTo(LIMA.getId());
            assertThat(zonesOf(db, "blank-zone")).as("a blank zone is no zone").isEqualTo(LIMA.getId());
            assertThat(zonesOf(db, "own-zone")).as("keeps their own").isEqualTo(TOKYO.getId());
            assertThat(zonesOf(db, "new")).as("gets offsets at all").isEqualTo(LIMA.getId());
            assertThat(db.count("SELECT COUNT(*) FROM user_utc_offset WHERE user_id = 'own-zone'"))
                    .as("Tokyo has had one offset since 1990: one row, written once").isEqualTo(1);
        }
    }

    /** The distinct zones of the user's offset rows, comma-separated. */
    private static String zonesOf(TestDatabase db, String user) throws Exception {
        StringBuilder zones = new StringBuilder();
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT time_zone FROM user_utc_offset WHERE user_id = ? ORDER BY time_zone")) {
            ps.setString(1, user);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    zones.append(zones.isEmpty() ? "" : ",").append(rs.getString(1));
                }
            }
        }
        return zones.toString();
    }

    private static void addUser(TestDatabase db, String user) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (user_id, created_at) VALUES (?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, user);
            ps.executeUpdate();
        }
    }

    private static void setStoredZone(TestDatabase db, String user, String zone) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE app_user SET time_zone = ? WHERE user_id = ?")) {
            ps.setString(1, zone);
            ps.setString(2, user);
            ps.executeUpdate();
        }
    }
}
