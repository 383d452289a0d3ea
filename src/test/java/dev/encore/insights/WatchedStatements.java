package dev.encore.insights;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource whose connections tell a test of each statement before it is prepared, so that
 * the test can count InsightsStore's reads of whole histories, or hold one where it stands.
 */
final class WatchedStatements {
    /** Told the SQL of each statement about to be prepared; may block, or throw to fail it. */
    @FunctionalInterface
    interface Watcher {
        void preparing(String sql) throws Exception;
    }

    private WatchedStatements() {
    }

    /** Whether the statement is InsightsStore's read of a whole history (not of a load's span). */
    static boolean readsAWholeHistory(String sql) {
        return sql.contains("ms_played, kind, content_hash") && sql.contains("FROM stream") && !sql.contains("ts_utc >=");
    }

    static DataSource around(Callable<Connection> connections, Watcher watcher) {
        InvocationHandler sources = (proxy, method, args) -> switch (method.getName()) {
            case "getConnection" -> watched(connections.call(), watcher);
            case "getLogWriter" -> (PrintWriter) null;
            case "getLoginTimeout" -> 0;
            case "getParentLogger" -> Logger.getGlobal();
            case "isWrapperFor" -> false;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (DataSource) Proxy.newProxyInstance(WatchedStatements.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, sources);
    }

    private static Connection watched(Connection c, Watcher watcher) {
        InvocationHandler calls = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement")) {
                watcher.preparing((String) args[0]);
            }
            try {
                return method.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(WatchedStatements.class.getClassLoader(),
                new Class<?>[] {Connection.class}, calls);
    }
}
