package dev.encore.insights;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One user's streams in memory, in time order, with each distinct name held once: a year of a
 * heavy listener is a few hundred thousand streams, which H2 reads at about 4 µs a row (whole rows
 * from a 28-column table) but an array walks in nanoseconds. {@code version} says which imports
 * it reflects; a newer import makes it stale.
 */
final class ListeningHistory {
    private final String version;
    private final long[] ends;
    private final ListenedStream[] streams;

    ListeningHistory(String version, ListenedStream[] streamsInTimeOrder) {
        this.version = version;
        this.streams = streamsInTimeOrder;
        this.ends = new long[streams.length];
        for (int i = 0; i < streams.length; i++) {
            ends[i] = streams[i].endEpochSecond();
        }
    }

    String version() {
        return version;
    }

    int size() {
        return streams.length;
    }

    /** The first and last stream's end, or null without streams. */
    long[] extent() {
        return streams.length == 0 ? null : new long[] {ends[0], ends[ends.length - 1]};
    }

    /** Hands over the streams that ended in [from, to), in time order. */
    void forEach(long fromSecond, long toSecond, Consumer<ListenedStream> sink) {
        for (int i = first(fromSecond); i < ends.length && ends[i] < toSecond; i++) {
            sink.accept(streams[i]);
        }
    }

    private int first(long second) {
        int i = Arrays.binarySearch(ends, second);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && ends[i - 1] == second) {
            i--;
        }
        return i;
    }
}
