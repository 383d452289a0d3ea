package dev.encore.curated;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Where a curated table's rows go, one at a time: a Parquet or a CSV file. Values come in the
 * order of the table's columns, typed as {@link CuratedTable#read} gives them; null is a null.
 * {@link #close()} finishes the file: only then is it whole.
 */
public interface TableWriter extends AutoCloseable {
    void row(Object[] values) throws SQLException, IOException;

    long rows();

    @Override
    void close() throws SQLException, IOException;
}
