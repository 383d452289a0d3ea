package dev.encore.curated;

/** A column of a curated table: its name in Parquet and CSV, and its type. */
public record Column(String name, ColumnType type) {
}
