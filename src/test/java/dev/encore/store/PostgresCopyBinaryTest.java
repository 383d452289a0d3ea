package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** What PostgreSQL reads back from the binary COPY Encore writes is exactly what was written. */
class PostgresCopyBinaryTest {
    private static final String[] TEXTS = {"plain", "", "tab\there", "new\nline", "cr\rreturn", "back\\slash \\N",
        "Beyoncé", "Sigur Rós – Hoppípolla", "坂本龍一", "🎧 emoji and 𝄞", "\\", "quote ' and \" and , and |"};
    private static final Instant[] TIMES = {Instant.parse("2024-02-29T23:59:59Z"), Instant.parse("1999-01-01T00:00:00Z"),
        Instant.parse("2024-06-01T12:00:00.123Z"), Instant.parse("2024-06-01T12:00:00.000450Z"), Instant.ofEpochSecond(0)};
    private static final long[] NUMBERS = {0, 7, -1, 1234567890123L, Long.MAX_VALUE, -Long.MAX_VALUE, Long.MIN_VALUE};

    @Test
    void everyTextTimeNumberAndNullComesBackAsItWent() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < Math.max(TEXTS.length, Math.max(TIMES.length, NUMBERS.length)); i++) {
            rows.add(new Object[] {TEXTS[i % TEXTS.length], TIMES[i % TIMES.length], NUMBERS[i % NUMBERS.length],
                (int) NUMBERS[i % NUMBERS.length], i % 2 == 0, null});
        }
        PostgresCopyBinary text = new PostgresCopyBinary(new int[] {Types.VARCHAR, Types.TIMESTAMP, Types.BIGINT, Types.INTEGER, Types.BOOLEAN, Types.VARCHAR});
        rows.forEach(text::appendRow);

        try (TestDatabase db = TestDatabases.create("postgresql"); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (n SERIAL, s VARCHAR(200), ts TIMESTAMP(6), big BIGINT, small INT, b BOOLEAN, nothing VARCHAR(10))");
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t (s, ts, big, small, b, nothing) FROM STDIN (FORMAT binary)");
            PostgresCopyBinary.begin(copy);
            text.sendAll(copy);
            assertThat(PostgresCopyBinary.end(copy)).isEqualTo(rows.size());

            try (ResultSet rs = st.executeQuery("SELECT s, ts, big, small, b, nothing FROM t ORDER BY n")) {
                for (Object[] row : rows) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo(row[0]);
                    assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant((Instant) row[1], ZoneOffset.UTC));
                    assertThat(rs.getLong(3)).isEqualTo(row[2]);
                    assertThat(rs.getInt(4)).isEqualTo(row[3]);
                    assertThat(rs.getBoolean(5)).isEqualTo(row[4]);
                    assertThat(rs.getString(6)).isNull();
                }
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void aRoundOfManyPiecesSentAsItGrowsAndThenReplayedComesBackWholeEachTime() throws Exception {
        PostgresCopyBinary round = new PostgresCopyBinary(new int[] {Types.INTEGER, Types.VARCHAR});
        List<String> texts = new ArrayList<>();
        try (TestDatabase db = TestDatabases.create("postgresql"); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (n INT, s VARCHAR(2000))");
            CopyIn first = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t (n, s) FROM STDIN (FORMAT binary)");
            PostgresCopyBinary.begin(first);
            for (int i = 0; i < 3_000; i++) { // rows of 1-1,300 bytes: about 30 pieces, rows across their edges
                String s = ("row " + i + " Sigur Rós ").repeat(1 + i % 100);
                texts.add(s);
                round.appendRow(new Object[] {i, s});
                round.sendFull(first);
            }
            assertThat(round.size()).isGreaterThan(20L * PostgresCopyBinary.PIECE);
            round.sendPending(first);
            assertThat(PostgresCopyBinary.end(first)).isEqualTo(texts.size());
            assertThat(rowsOf(st)).containsExactlyElementsOf(texts);

            st.execute("TRUNCATE t");
            CopyIn replay = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t (n, s) FROM STDIN (FORMAT binary)");
            PostgresCopyBinary.begin(replay);
            round.sendAll(replay);
            assertThat(PostgresCopyBinary.end(replay)).isEqualTo(texts.size());
            assertThat(rowsOf(st)).containsExactlyElementsOf(texts);
        }
        round.reset();
        assertThat(round.size()).isZero();
    }

    private static List<String> rowsOf(Statement st) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT n, s FROM t ORDER BY n")) {
            while (rs.next()) {
                assertThat(rs.getInt(1)).isEqualTo(rows.size());
                rows.add(rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void aLoneSurrogateIsStoredAsJavaWouldEncodeIt() throws Exception {
        String broken = "a\uD800b";
        PostgresCopyBinary text = new PostgresCopyBinary(new int[] {Types.VARCHAR});
        text.appendRow(new Object[] {broken});
        try (TestDatabase db = TestDatabases.create("postgresql"); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (s VARCHAR(20))");
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t (s) FROM STDIN (FORMAT binary)");
            PostgresCopyBinary.begin(copy);
            text.sendAll(copy);
            PostgresCopyBinary.end(copy);
            try (ResultSet rs = st.executeQuery("SELECT s FROM t")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(new String(broken.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            }
        }
    }
}
