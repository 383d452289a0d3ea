package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each user's first stream of each artist, per kind and private session or not, as the files of
 * an export arrive in any order: a file adds the artists it brings, moves a first stream earlier
 * when it holds an earlier one, and leaves a later one alone.
 */
class ArtistFirstStreamsTest {
    private static final Instant T = Instant.parse("2024-06-01T12:00:00Z");

    private TestDatabase db;
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void filesInAnyOrderLeaveTheEarliestStreamOfEachArtist(String kind) throws Exception {
        db = TestDatabases.create(kind);
        database = Database.open(db.url(), db.user(), "", 2);

        ArtistFirstStreams later = new ArtistFirstStreams();
        later.add("Rick Astley", "music", false, T.plusSeconds(7200));
        later.add("RICK ASTLEY", "music", false, T.plusSeconds(3600)); // the same artist once normalised
        later.add("Rick Astley", "music", true, T.plusSeconds(9000)); // in a private session: a row of its own
        later.add("Some Show", "episode", false, T.plusSeconds(100));
        save(later, "ana");

        ArtistFirstStreams earlier = new ArtistFirstStreams();
        earlier.add("Rick Astley", "music", false, T); // earlier: moves the first stream
        earlier.add("Some Show", "episode", false, T.plusSeconds(200)); // later: changes nothing
        earlier.add("The Weeknd", "music", null, T.plusSeconds(50)); // new
        save(earlier, "ana");

        ArtistFirstStreams someoneElse = new ArtistFirstStreams();
        someoneElse.add("Rick Astley", "music", false, T.minusSeconds(1));
        save(someoneElse, "bob");

        assertThat(rows("ana")).containsExactly(
                "rick astley music 0 " + T,
                "rick astley music 1 " + T.plusSeconds(9000),
                "some show episode 0 " + T.plusSeconds(100),
                "the weeknd music 0 " + T.plusSeconds(50));
        assertThat(rows("bob")).containsExactly("rick astley music 0 " + T.minusSeconds(1));
    }

    private void save(ArtistFirstStreams firsts, String user) throws SQLException {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            firsts.save(c, user);
            c.commit();
        }
    }

    private List<String> rows(String user) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT artist_key, kind, private_session, first_ts_utc FROM artist_first_stream WHERE user_id = ? "
                        + "ORDER BY artist_key, kind, private_session")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " "
                            + rs.getObject(4, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC));
                }
            }
        }
        return rows;
    }
}
