package dev.encore.store;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash escapes),
 * encoded straight into UTF-8 bytes and sent in large pieces: no string per row and no COPY
 * message per row, and times and numbers written digit by digit instead of through a formatter
 * (together most of the writer's time per row, docs/benchmarks.md).
 */
final class PostgresCopyText {
    /** What {@link #sendPending} waits for before a COPY message: PostgreSQL's own reads are 64 KB. */
    static final int PIECE = 1 << 16;

    private byte[] bytes = new byte[PIECE * 2];
    private int size;
    private int sent;

    void appendRow(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                put('\t');
            }
            appendValue(values[i]);
        }
        put('\n');
    }

    /** Sends what is not sent yet once it makes a piece; the bytes stay until {@link #reset}. */
    void sendFull(CopyIn copy) throws SQLException {
        if (size - sent >= PIECE) {
            sendPending(copy);
        }
    }

    /** Sends what is not sent yet. */
    void sendPending(CopyIn copy) throws SQLException {
        if (size > sent) {
            int from = sent;
            sent = size; // a failed send is replayed whole, from the start, never resumed
            copy.writeToCopy(bytes, from, size - from);
        }
    }

    /** Sends everything appended since the last {@link #reset} again (a round replayed another way). */
    void sendAll(CopyIn copy) throws SQLException {
        sent = 0;
        sendPending(copy);
    }

    void reset() {
        size = 0;
        sent = 0;
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, size);
    }

    private void appendValue(Object v) {
        if (v == null) {
            put('\\');
            put('N');
        } else if (v instanceof String s) {
            appendText(s);
        } else if (v instanceof Instant t) {
            appendTimestamp(t);
        } else if (v instanceof Boolean b) {
            put(b ? 't' : 'f');
        } else if (v instanceof Long n) {
            appendLong(n);
        } else if (v instanceof Integer n) {
            appendLong(n);
        } else {
            appendText(v.toString());
        }
    }

    /** UTF-8, with COPY's escapes; a lone surrogate becomes '?', as {@code String.getBytes(UTF_8)} has it. */
    private void appendText(String s) {
        int n = s.length();
        ensure(3 * n);
        byte[] b = bytes;
        int at = size;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                switch (c) {
                    case '\\' -> { b[at++] = '\\'; b[at++] = '\\'; }
                    case '\t' -> { b[at++] = '\\'; b[at++] = 't'; }
                    case '\n' -> { b[at++] = '\\'; b[at++] = 'n'; }
                    case '\r' -> { b[at++] = '\\'; b[at++] = 'r'; }
                    default -> b[at++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xF0 | cp >> 18);
                b[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                b[at++] = '?';
            } else {
                b[at++] = (byte) (0xE0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        size = at;
    }

    /** yyyy-MM-ddTHH:mm:ss[.fraction] in UTC, as ISO_LOCAL_DATE_TIME writes it. */
    private void appendTimestamp(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            appendText(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(d));
            return;
        }
        ensure(30);
        digits(d.getYear(), 4);
        put('-');
        digits(d.getMonthValue(), 2);
        put('-');
        digits(d.getDayOfMonth(), 2);
        put('T');
        digits(d.getHour(), 2);
        put(':');
        digits(d.getMinute(), 2);
        put(':');
        digits(d.getSecond(), 2);
        int nano = d.getNano();
        if (nano != 0) {
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            put('.');
            digits(nano, width);
        }
    }

    private void appendLong(long n) {
        if (n == Long.MIN_VALUE) {
            appendText(Long.toString(n));
            return;
        }
        ensure(20);
        if (n < 0) {
            put('-');
            n = -n;
        }
        int width = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) {
            width++;
        }
        digitsOf(n, width);
    }

    private void digits(int value, int width) {
        digitsOf(value, width);
    }

    /** The value's last {@code width} decimal digits, zero-padded. */
    private void digitsOf(long value, int width) {
        for (int i = size + width - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    private void put(char c) {
        ensure(1);
        bytes[size++] = (byte) c;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
