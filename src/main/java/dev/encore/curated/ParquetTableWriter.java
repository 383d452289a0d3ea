package dev.encore.curated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes one Parquet file through an in-process DuckDB (docs/curated-zone.md: no Hadoop, the
 * Parquet types a reader expects, ZSTD). Rows are appended to an in-memory DuckDB table, which
 * DuckDB keeps in native memory outside the Java heap and spills to {@code scratch} beyond its
 * memory limit; {@link #close()} copies it into the file and frees it all.
 */
public final class ParquetTableWriter implements TableWriter {
    private final List<Column> columns;
    private final Path target;
    private final DuckDBConnection duck;
    private final DuckDBAppender appender;
    private long rows;
    private boolean closed;

    /**
     * @param memoryLimit DuckDB's memory limit, as DuckDB writes it ("256MB")
     * @param scratch     a folder DuckDB may spill to; created if missing
     */
    public ParquetTableWriter(List<Column> columns, Path target, String memoryLimit, Path scratch) throws SQLException, IOException {
        this.columns = columns;
        this.target = target;
        Files.createDirectories(scratch);
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try {
            duck = c.unwrap(DuckDBConnection.class);
            try (Statement s = duck.createStatement()) {
                s.execute("SET memory_limit = " + literal(memoryLimit));
                s.execute("SET temp_directory = " + literal(scratch.toAbsolutePath().toString()));
                // one writer thread: the machine is shared with the intake and the API
                s.execute("SET threads = 1");
                s.execute("CREATE TABLE t (" + columns.stream().map(col -> quoted(col.name()) + " " + col.type().duckDb())
                        .collect(Collectors.joining(", ")) + ")");
            }
            appender = duck.createAppender("main", "t");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void row(Object[] values) throws SQLException {
        appender.beginRow();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                appender.appendNull();
                continue;
            }
            switch (columns.get(i).type()) {
                case TEXT -> appender.append((String) v);
                case INT -> appender.append(((Number) v).intValue());
                case BIGINT -> appender.append(((Number) v).longValue());
                case BOOL -> appender.append((boolean) (Boolean) v);
                case TIMESTAMP -> appender.append((LocalDateTime) v);
                case DATE -> appender.append((LocalDate) v);
            }
        }
        appender.endRow();
        rows++;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            appender.close();
            try (Statement s = duck.createStatement()) {
                s.execute("COPY t TO " + literal(target.toAbsolutePath().toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
            }
        } finally {
            duck.close();
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
