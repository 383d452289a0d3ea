package dev.encore.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections from one JDBC driver, as {@code DriverManager} would make them (the URL and the
 * same properties, so credentials in the URL still win), without {@code DriverManager}: that
 * first loads every driver on the class path (DuckDB's starts Flight Recorder events, SQL
 * Server's is a signed jar to verify), a tenth of a second or more of each start.
 */
final class DriverDataSource implements DataSource {
    private final Driver driver;
    private final String url;
    private final Properties properties;
    private volatile int loginTimeout;

    DriverDataSource(String driverClassName, String url, Properties properties) {
        try {
            this.driver = (Driver) Class.forName(driverClassName).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDBC driver " + driverClassName + " is not on the class path", e);
        }
        this.url = url;
        this.properties = properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) { // the driver's way of saying the URL is not its own
            throw new SQLException("the driver " + driver.getClass().getName() + " does not take this URL");
        }
        return c;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are the data source's own");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no driver log: the drivers log through Encore's logging
    }

    /** Hikari sets it from its connection timeout, and waits as long for a connection being opened when it closes. */
    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
