package dev.encore.curated;

import dev.encore.insights.ReportingZones;
import dev.encore.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code encore export}: one user's tables (the curated zone's columns) into a folder, one file
 * per table, Parquet or CSV: their streams in a period of their own time zone, their playlists,
 * and the part of the catalogue their streams reference (never other users' listening).
 */
public final class UserExport {
    public enum Format {
        PARQUET, CSV;

        /** @throws IllegalArgumentException naming the formats there are */
        public static Format of(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + name + "': use parquet or csv");
            }
        }

        String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Database database;
    private final ReportingZones zones;
    private final String memoryLimit;
    private final Path scratch;

    public UserExport(Database database, ReportingZones zones, String memoryLimit, Path scratch) {
        this.database = database;
        this.zones = zones;
        this.memoryLimit = memoryLimit;
        this.scratch = scratch;
    }

    /**
     * @param from first local day included, or null: from the first stream
     * @param to   first local day no longer included, or null: to the last
     * @return rows per table, in the order written
     * @throws IllegalArgumentException an unknown user
     */
    public Map<CuratedTable, Long> export(String user, Format format, Path dir, LocalDate from, LocalDate to)
            throws SQLException, IOException {
        ZoneId zone = zones.zoneOf(user).orElseThrow(() -> new IllegalArgumentException("no user '" + user + "'"));
        LocalDateTime fromUtc = from == null ? LocalDateTime.of(1900, 1, 1, 0, 0) : utc(from, zone);
        LocalDateTime toUtc = to == null ? LocalDateTime.of(9999, 1, 1, 0, 0) : utc(to, zone);
        Files.createDirectories(dir);
        Map<CuratedTable, Long> rows = new LinkedHashMap<>();
        for (CuratedTable table : CuratedTable.values()) {
            Path target = dir.resolve(table.tableName() + "." + format.extension());
            Path part = dir.resolve("." + target.getFileName() + ".tmp");
            try (Connection c = database.dataSource().getConnection()) {
                c.setAutoCommit(false); // PostgreSQL streams with a fetch size only in a transaction
                try (PreparedStatement ps = c.prepareStatement(table.exportQuery())) {
                    table.bindExport(ps, user, fromUtc, toUtc);
                    ps.setFetchSize(1000);
                    try (TableWriter out = writer(format, table, part); ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.row(table.read(rs, zone));
                        }
                        rows.put(table, out.rows());
                    }
                } finally {
                    c.rollback();
                }
                Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
        }
        return rows;
    }

    private TableWriter writer(Format format, CuratedTable table, Path file) throws SQLException, IOException {
        Files.deleteIfExists(file);
        return format == Format.PARQUET ? new ParquetTableWriter(table.columns(), file, memoryLimit, scratch)
                : new CsvTableWriter(table.columns(), file);
    }

    private static LocalDateTime utc(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }
}
