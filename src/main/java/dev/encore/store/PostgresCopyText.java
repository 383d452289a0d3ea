package dev.encore.store;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
final class PostgresCopyText {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private PostgresCopyText() {
    }

    static void appendRow(StringBuilder out, Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            appendValue(out, values[i]);
        }
        out.append('\n');
    }

    private static void appendValue(StringBuilder out, Object v) {
        if (v == null) {
            out.append("\\N");
        } else if (v instanceof Instant t) {
            out.append(TIMESTAMP.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
        } else if (v instanceof Boolean b) {
            out.append(b ? 't' : 'f');
        } else if (v instanceof String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
        } else {
            out.append(v); // numbers
        }
    }
}
