package dev.encore.curated;

/** The types a curated column has in Parquet (through DuckDB's names) and how its value is written as CSV. */
public enum ColumnType {
    TEXT("VARCHAR"),
    INT("INTEGER"),
    BIGINT("BIGINT"),
    BOOL("BOOLEAN"),
    /** a UTC instant without zone (Parquet TIMESTAMP(MICROS, isAdjustedToUTC=false)); the column name says _utc */
    TIMESTAMP("TIMESTAMP"),
    DATE("DATE");

    private final String duckDb;

    ColumnType(String duckDb) {
        this.duckDb = duckDb;
    }

    public String duckDb() {
        return duckDb;
    }
}
