package dev.encore.insights;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a user's history into the insights cache after a load, on a thread of its own, so that
 * the first Wrapped after an import does not pay for reading every stream (seconds per million).
 * Loads of one user in quick succession (an export's 20 files) coalesce: a user waits in the
 * queue at most once, and is read with whatever has been loaded by the time their turn comes.
 */
public final class HistoryWarmer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWarmer.class);

    private final InsightsStore store;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "encore-history-warmer");
        t.setDaemon(true);
        return t;
    });

    public HistoryWarmer(InsightsStore store) {
        this.store = store;
    }

    /** Asks for the user's history to be read soon; returns at once. */
    public void warmSoon(String user) {
        if (user == null || !waiting.add(user)) {
            return; // already waiting: that read will see this load too
        }
        try {
            thread.execute(() -> warm(user));
        } catch (RejectedExecutionException stopping) {
            waiting.remove(user);
        }
    }

    /**
     * Asks for the histories that fit into the cache to be read, the most recently loaded users
     * first (after a start, so that the first Wrapped is answered from memory); returns at once.
     */
    public void warmRecent() {
        try {
            store.usersThatFit().forEach(this::warmSoon);
        } catch (SQLException e) {
            LOG.warn("Could not list the users whose histories to read ahead: {}", e.toString());
        }
    }

    private void warm(String user) {
        waiting.remove(user); // before reading, so that a load finishing meanwhile asks again
        if (closed) {
            return;
        }
        try {
            long started = System.nanoTime();
            int streams = store.history(user).size();
            LOG.info("The history of {} ({} streams) was ready in {} ms, ahead of its first request", user, streams, (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException | RuntimeException e) { // the first request will read it then
            LOG.warn("Could not read the history of {} ahead of time: {}", user, e.toString());
        }
    }

    /**
     * Reads nothing more. A read under way is left to end (or to fail when the pool closes its
     * connection), not interrupted: an interrupt closes the file of an embedded H2 database under
     * everyone who uses it.
     */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
    }
}
