package dev.encore.insights;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Wrapped answers are worked out at once, and how many requests may wait for their turn.
 * Each fold holds its tallies (and the answer) in memory while it runs, and a burst of them on a
 * machine with few cores only makes each slower: past the queue a request is turned away at once
 * ({@link BusyException}, a 503 with Retry-After) rather than held, so a burst cannot take more
 * memory than {@code running} folds do (docs/benchmarks.md, issue 12 item 9).
 */
public final class WrappedSlots {
    private final Semaphore running;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    public WrappedSlots(int maxRunning, int maxWaiting) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("at least one Wrapped must run and none can wait fewer than none");
        }
        this.running = new Semaphore(maxRunning, true);
        this.maxWaiting = maxWaiting;
    }

    /** A turn to work out an answer: close it when done. Waits in the queue, or throws when that is full. */
    public Turn take() {
        if (!running.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new BusyException("Encore is working out other answers; ask again in a second");
            }
            try {
                running.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BusyException("Encore is shutting down");
            } finally {
                waiting.decrementAndGet();
            }
        }
        return running::release;
    }

    /** Requests waiting for a turn now. */
    int waiting() {
        return waiting.get();
    }

    /** A turn taken; closing it gives it back. */
    public interface Turn extends AutoCloseable {
        @Override
        void close();
    }
}
