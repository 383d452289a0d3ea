package dev.encore.curated;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.encore.TestClock;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.export.ZipLimits;
import dev.encore.insights.ReportingZones;
import dev.encore.intake.ExportImporter;
import dev.encore.intake.FileReport;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A real database (H2 or PostgreSQL), the real importer and a curated zone in a temporary lake folder. */
final class CuratedFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Names a CSV or Parquet writer could get wrong. */
    static final List<String> HARD_NAMES = List.of("Say \"Hello\", World", "a,b,,c", "Émilie 🎧🔥 Ünïcødé",
            "東京事変", "عمرو دياب", "Кино", "line\nbreak", "", "   spaced   ", "semi;colon'quote");

    final TestDatabase db;
    final Database database;
    final ExportImporter importer;
    final ReportingZones zones;
    final CuratedStatus status;
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T12:00:00Z"));
    final Path lakeDir;
    CuratedZone zone;

    CuratedFixture(String kind, Path tmp) throws SQLException {
        db = TestDatabases.create(kind);
        database = Database.open(db.url(), db.user(), "", 3);
        importer = new ExportImporter(database, new ImportStore(database.dataSource()), ZipLimits.DEFAULT, 500);
        zones = new ReportingZones(database.dataSource(), ZoneId.of("Europe/Madrid"));
        status = new CuratedStatus(new SimpleMeterRegistry());
        lakeDir = tmp.resolve("lake");
        zone = zoneOn(new LocalCuratedLake(lakeDir), tmp);
    }

    CuratedZone zoneOn(CuratedLake lake, Path tmp) {
        return new CuratedZone(database, lake, zones, status, clock, Duration.ofMinutes(1), "128MB", tmp.resolve("scratch"));
    }

    FileReport load(Path file, String user) throws Exception {
        FileReport report = importer.importFile(file, user + "/" + file.getFileName(), user, "cli");
        zone.changed(user);
        return report;
    }

    /** An extended-history file: {@code n} streams a day apart from {@code start}, names from {@link #HARD_NAMES}, some nulls. */
    static Path generated(Path dir, String name, Instant start, int n) throws IOException {
        ArrayNode records = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode r = records.addObject();
            r.put("ts", start.plus(Duration.ofHours(25L * i)).toString());
            r.put("platform", i % 3 == 0 ? null : "android");
            r.put("ms_played", 1000 + i * 7919 % 300_000);
            r.put("conn_country", "ES");
            boolean episode = i % 5 == 4;
            r.put("master_metadata_track_name", episode ? null : HARD_NAMES.get(i % HARD_NAMES.size()) + " " + i);
            r.put("master_metadata_album_artist_name", episode ? null : HARD_NAMES.get((i + 3) % HARD_NAMES.size()));
            r.put("master_metadata_album_album_name", episode ? null : HARD_NAMES.get((i + 5) % HARD_NAMES.size()));
            r.put("spotify_track_uri", episode ? null : "spotify:track:" + "%022d".formatted(i));
            r.put("episode_name", episode ? "Épisode \"" + i + "\", part 1" : null);
            r.put("episode_show_name", episode ? "Show, with comma" : null);
            r.put("spotify_episode_uri", episode ? "spotify:episode:" + "%022d".formatted(i) : null);
            r.put("reason_start", "trackdone");
            r.put("reason_end", "endplay");
            if (i % 4 != 1) {
                r.put("shuffle", i % 2 == 0);
            } else {
                r.putNull("shuffle");
            }
            r.put("skipped", i % 3 == 0);
            r.put("offline", false);
            r.put("incognito_mode", i % 7 == 0);
        }
        Path file = dir.resolve(name);
        Files.createDirectories(dir);
        JSON.writeValue(file.toFile(), records);
        return file;
    }

    /** The warehouse's streams of the user, by stream_id, with the values a reader should find in the files. */
    Map<Long, Map<String, Object>> warehouseStreams(String user) throws SQLException {
        Map<Long, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT stream_id, ts_utc, ms_played, kind, track_uri, track_name, artist_name, album_name, episode_name, "
                        + "show_name, platform, shuffle, skipped, incognito, source, ms_played_estimated, offline_ts "
                        + "FROM stream WHERE user_id = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    int n = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= n; i++) {
                        String name = rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                        Object v = switch (name) {
                            case "ts_utc", "offline_ts" -> rs.getObject(i, LocalDateTime.class);
                            case "shuffle", "skipped", "incognito", "ms_played_estimated" -> rs.getBoolean(i);
                            case "stream_id" -> rs.getLong(i);
                            case "ms_played" -> rs.getInt(i);
                            default -> rs.getString(i);
                        };
                        row.put(name, rs.wasNull() ? null : v);
                    }
                    rows.put((Long) row.get("stream_id"), row);
                }
            }
        }
        return rows;
    }

    /** Every stream partition file of the user in the lake. */
    List<Path> streamFiles(String user) throws IOException {
        Path dir = lakeDir.resolve("curated/streams/user=" + CuratedPaths.value(user));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals(CuratedPaths.FILE)).sorted().toList();
        }
    }

    /** Every row of every stream partition of the user, read back with parquet-java. */
    List<Map<String, Object>> lakeStreams(String user) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Path f : streamFiles(user)) {
            rows.addAll(ParquetRows.read(f));
        }
        return rows;
    }

    /** Partitions the curated zone has written, as curated_partition records them. */
    long count() {
        return db.count("SELECT COUNT(*) FROM curated_partition");
    }

    @Override
    public void close() {
        database.close();
        db.close();
    }
}
