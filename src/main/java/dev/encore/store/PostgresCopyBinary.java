package dev.encore.store;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format, built in one byte array and sent in large pieces: each
 * value is its length and its bytes (UTF-8 text, numbers and times as big-endian integers), so
 * neither side formats or parses text, escapes anything, or sends a COPY message per row.
 * PostgreSQL reads this format faster than text (docs/benchmarks.md).
 *
 * <p>The rows appended since the last {@link #reset} are kept, for a replay, in pieces of a fixed
 * size, reused from round to round: one growing array meant copying each round's megabytes
 * again at every doubling, and arrays of that size are what the G1 collector allocates outside
 * its young generation, a collection each. A row is encoded into a small array of its own first,
 * then added to the pieces; COPY's data is one stream of bytes, so a row may span two pieces.
 */
final class PostgresCopyBinary {
    /** What {@link #sendFull} waits for before a COPY message: PostgreSQL's own reads are 64 KB. */
    static final int PIECE = 1 << 16;
    /** The signature, no flags, no header extension: what every binary COPY begins with. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    /** PostgreSQL counts time in microseconds from 2000-01-01T00:00:00 (here UTC wall-clock time). */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;

    private final int[] types;
    /** The row being encoded; it grows to the longest row and stays. */
    private byte[] bytes = new byte[1 << 12];
    /** Bytes of the row being encoded. */
    private int size;
    /** The round's rows: pieces of {@link #PIECE} bytes, {@code roundSize} of their bytes in use. */
    private final List<byte[]> pieces = new ArrayList<>();
    private long roundSize;
    private long sent;

    /** @param types the {@link Types} of the columns, in the order of the rows' values */
    PostgresCopyBinary(int[] types) {
        this.types = types.clone();
    }

    /** Begins a COPY: the header, sent at once. */
    static void begin(CopyIn copy) throws SQLException {
        copy.writeToCopy(HEADER, 0, HEADER.length);
    }

    /** Ends a COPY: the trailer, then the end; the number of rows PostgreSQL took. */
    static long end(CopyIn copy) throws SQLException {
        copy.writeToCopy(TRAILER, 0, TRAILER.length);
        return copy.endCopy();
    }

    void appendRow(Object[] values) {
        if (values.length != types.length) {
            throw new IllegalArgumentException(values.length + " values for " + types.length + " columns");
        }
        size = 0;
        ensure(2);
        putShort(values.length);
        for (int i = 0; i < values.length; i++) {
            appendValue(types[i], values[i]);
        }
        keep(bytes, size);
    }

    private void keep(byte[] row, int length) {
        for (int from = 0; from < length; ) {
            int piece = (int) (roundSize / PIECE);
            if (piece == pieces.size()) {
                pieces.add(new byte[PIECE]);
            }
            int at = (int) (roundSize % PIECE);
            int n = Math.min(length - from, PIECE - at);
            System.arraycopy(row, from, pieces.get(piece), at, n);
            from += n;
            roundSize += n;
        }
    }

    /** Sends what is not sent yet once it makes a piece; the bytes stay until {@link #reset}. */
    void sendFull(CopyIn copy) throws SQLException {
        if (roundSize - sent >= PIECE) {
            sendPending(copy);
        }
    }

    /** Sends what is not sent yet. */
    void sendPending(CopyIn copy) throws SQLException {
        long from = sent;
        sent = roundSize; // a failed send is replayed whole, from the start, never resumed
        while (from < roundSize) {
            int at = (int) (from % PIECE);
            int n = (int) Math.min(roundSize - from, PIECE - at);
            copy.writeToCopy(pieces.get((int) (from / PIECE)), at, n);
            from += n;
        }
    }

    /** Sends everything appended since the last {@link #reset} again (a round replayed another way). */
    void sendAll(CopyIn copy) throws SQLException {
        sent = 0;
        sendPending(copy);
    }

    void reset() {
        roundSize = 0;
        sent = 0;
    }

    /** Bytes appended since the last {@link #reset}. */
    long size() {
        return roundSize;
    }

    private void appendValue(int type, Object v) {
        if (v == null) {
            ensure(4);
            putInt(-1);
            return;
        }
        switch (type) {
            case Types.VARCHAR -> appendText(v.toString());
            case Types.TIMESTAMP -> {
                Instant t = (Instant) v;
                // times carry whole milliseconds at most (Spotify's ts, offline_timestamp)
                long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond() - POSTGRES_EPOCH_SECOND, 1_000_000L),
                        t.getNano() / 1_000);
                ensure(12);
                putInt(8);
                putLong(micros);
            }
            case Types.BIGINT -> {
                ensure(12);
                putInt(8);
                putLong(((Number) v).longValue());
            }
            case Types.INTEGER -> {
                ensure(8);
                putInt(4);
                putInt(((Number) v).intValue());
            }
            case Types.BOOLEAN -> {
                ensure(5);
                putInt(1);
                bytes[size++] = (byte) ((Boolean) v ? 1 : 0);
            }
            default -> throw new IllegalArgumentException("no binary COPY for JDBC type " + type);
        }
    }

    /** UTF-8; ASCII, nearly every value, byte by byte, anything else through the JDK's encoder. */
    private void appendText(String s) {
        int n = s.length();
        ensure(4 + n);
        int lengthAt = size;
        size += 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                size = lengthAt + 4;
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, bytes, size, utf8.length);
                size += utf8.length;
                writeIntAt(lengthAt, utf8.length);
                return;
            }
            bytes[size++] = (byte) c;
        }
        writeIntAt(lengthAt, n);
    }

    private void putShort(int v) {
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    private void putInt(int v) {
        writeIntAt(size, v);
        size += 4;
    }

    private void writeIntAt(int at, int v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
