package dev.encore.insights;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One user's streams in memory, in time order, with each distinct name held once: a year of a
 * heavy listener is a few hundred thousand streams, which H2 reads at about 4 µs a row (whole rows
 * from a 28-column table) but an array walks in nanoseconds. It holds the streams of exactly the
 * loaded runs it names: a later load makes it stale, and can be added to it ({@link #plus}).
 *
 * <p>The order is the natural key's: end time, then milliseconds played, then content hash, so
 * that a history added to and one read whole are the same, ties included.
 */
final class ListeningHistory {
    private final LoadedRuns runs;
    private final long[] endMicros; // since the epoch: the exact ts_utc, which seconds alone do not order
    private final ListenedStream[] streams;

    ListeningHistory(LoadedRuns runs, long[] endMicrosInOrder, ListenedStream[] streamsInOrder) {
        this.runs = runs;
        this.endMicros = endMicrosInOrder;
        this.streams = streamsInOrder;
    }

    String version() {
        return runs.version();
    }

    LoadedRuns runs() {
        return runs;
    }

    int size() {
        return streams.length;
    }

    /** The first and last stream's end (in seconds), or null without streams. */
    long[] extent() {
        return streams.length == 0 ? null : new long[] {second(endMicros[0]), second(endMicros[endMicros.length - 1])};
    }

    /** Hands over the streams that ended in [from, to) (seconds), in time order. */
    void forEach(long fromSecond, long toSecond, Consumer<ListenedStream> sink) {
        long to = Math.multiplyExact(toSecond, 1_000_000L);
        for (int i = first(Math.multiplyExact(fromSecond, 1_000_000L)); i < endMicros.length && endMicros[i] < to; i++) {
            sink.accept(streams[i]);
        }
    }

    /**
     * This history with the streams of more runs merged in, or null when one of them has the key
     * of a stream already here (the runs were not new after all: the caller reads everything).
     */
    ListeningHistory plus(LoadedRuns now, long[] addedMicros, ListenedStream[] added) {
        int n = streams.length + added.length;
        long[] micros = new long[n];
        ListenedStream[] merged = new ListenedStream[n];
        int i = 0, j = 0;
        for (int k = 0; k < n; k++) {
            int order = i == streams.length ? 1 : j == added.length ? -1
                    : compare(endMicros[i], streams[i], addedMicros[j], added[j]);
            if (order == 0) {
                return null;
            }
            if (order < 0) {
                micros[k] = endMicros[i];
                merged[k] = streams[i++];
            } else {
                micros[k] = addedMicros[j];
                merged[k] = added[j++];
            }
        }
        return new ListeningHistory(now, micros, merged);
    }

    /** The natural key's order (user aside): end, ms played, content hash. */
    static int compare(long aMicros, ListenedStream a, long bMicros, ListenedStream b) {
        int c = Long.compare(aMicros, bMicros);
        if (c == 0) {
            c = Integer.compare(a.msPlayed(), b.msPlayed());
        }
        return c != 0 ? c : Long.compare(a.trackKey(), b.trackKey());
    }

    private int first(long micros) {
        int i = Arrays.binarySearch(endMicros, micros);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && endMicros[i - 1] == micros) {
            i--;
        }
        return i;
    }

    private static long second(long micros) {
        return Math.floorDiv(micros, 1_000_000L);
    }
}
