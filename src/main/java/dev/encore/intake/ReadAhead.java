package dev.encore.intake;

import dev.encore.export.StreamRecord;
import dev.encore.export.StreamingHistoryReader;
import dev.encore.export.UnreadableExportException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Parses a history on a thread of its own while the caller writes what was parsed: on two cores
 * a load then takes the longer of parsing and writing rather than their sum. The hand-off holds
 * at most {@code depth} batches, so memory stays constant whatever the file's size.
 *
 * <p>A problem with the file (bad JSON, a damaged archive) is thrown to the caller by
 * {@link #next()}, as the reader itself would have thrown it; {@link #close()} stops the thread
 * and waits for it, so the reader is never used after the caller closes it.
 */
final class ReadAhead implements AutoCloseable {
    private static final List<StreamRecord> END = List.of();
    /**
     * The first batch is this small, and each next one twice the last up to the batch size: the
     * writer starts after a few records instead of waiting, idle, for a whole batch to be parsed.
     */
    static final int FIRST_BATCH = 100;

    private final StreamingHistoryReader reader;
    private final int batchSize;
    private final Consumer<StreamRecord> onRecord;
    private final BlockingQueue<List<StreamRecord>> queue;
    private final Thread thread;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    private boolean ended;

    /** @param onRecord sees each record on the reading thread, in file order (the caller may read what it kept after the end) */
    ReadAhead(StreamingHistoryReader reader, int batchSize, int depth, Consumer<StreamRecord> onRecord) {
        this.reader = reader;
        this.batchSize = batchSize;
        this.onRecord = onRecord;
        this.queue = new ArrayBlockingQueue<>(depth + 1); // + the end mark
        this.thread = new Thread(this::readAll, "encore-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    /** The next batch in file order, or null after the last. */
    List<StreamRecord> next() throws IOException, UnreadableExportException {
        if (ended) {
            return null;
        }
        List<StreamRecord> batch;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the file's records", e);
        }
        if (batch != END) {
            return batch;
        }
        ended = true;
        join();
        Throwable t = failure;
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof UnreadableExportException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return null;
    }

    private void readAll() {
        try {
            int size = Math.min(FIRST_BATCH, batchSize);
            List<StreamRecord> batch = new ArrayList<>(size);
            for (StreamRecord r = reader.next(); r != null && !cancelled; r = reader.next()) {
                onRecord.accept(r);
                batch.add(r);
                if (batch.size() == size) {
                    hand(batch);
                    size = Math.min(size * 2, batchSize);
                    batch = new ArrayList<>(size);
                }
            }
            if (!batch.isEmpty()) {
                hand(batch);
            }
        } catch (Throwable t) { // everything goes to the caller, who decides what it means
            failure = t;
        }
        hand(END);
    }

    private void hand(List<StreamRecord> batch) {
        try {
            while (!cancelled && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // the writer is busy; look again whether it gave up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
        }
    }

    private void join() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the reading thread (the writer failed, or is done) and waits until it has let go of the reader. */
    @Override
    public void close() {
        cancelled = true;
        queue.clear();
        join();
    }
}
