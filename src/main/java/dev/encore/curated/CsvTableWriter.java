package dev.encore.curated;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A curated table as CSV (RFC 4180): UTF-8 without a byte-order mark, a header row, CRLF line
 * ends, a field quoted when it holds a comma, a quote, CR or LF, its quotes doubled. A null is an
 * empty field; an empty text is {@code ""}, so the two stay apart. Times are ISO 8601
 * ({@code 2024-03-01T14:05:09.123}, UTC where the column says so), booleans {@code true}/{@code false}.
 */
public final class CsvTableWriter implements TableWriter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");
    private final Writer out;
    private long rows;

    public CsvTableWriter(List<Column> columns, Path target) throws IOException {
        out = new BufferedWriter(Files.newBufferedWriter(target, StandardCharsets.UTF_8), 1 << 16);
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            field(columns.get(i).name());
        }
        out.write("\r\n");
    }

    @Override
    public void row(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            Object v = values[i];
            if (v instanceof String s) {
                if (s.isEmpty()) {
                    out.write("\"\"");
                } else {
                    field(s);
                }
            } else if (v instanceof LocalDateTime t) {
                out.write(TIME.format(t));
            } else if (v != null) {
                out.write(v.toString());
            }
        }
        out.write("\r\n");
        rows++;
    }

    private void field(String s) throws IOException {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
        if (!quote) {
            out.write(s);
            return;
        }
        out.write('"');
        out.write(s.replace("\"", "\"\""));
        out.write('"');
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
