package dev.encore.curated;

/** One file of the curated zone: a table, and for streams the UTC month (0, 0 otherwise). */
record Partition(CuratedTable table, int year, int month) {
}
