package dev.encore.store;

import java.sql.SQLException;

public final class SqlErrors {
    private SqlErrors() {
    }

    /** SQLSTATE class 23: a UNIQUE or foreign key constraint said no (H2 and PostgreSQL 23505, SQL Server 23000). */
    public static boolean isConstraintViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
                return true;
            }
        }
        return false;
    }
}
