-- Encore schema, part 11: what the curated zone of the lake holds (docs/curated-zone.md).
-- One row per Parquet file written there: the fingerprint of the warehouse rows it was written
-- from. A partition is rewritten only when its fingerprint changes, so a load that changed
-- nothing writes nothing, and after a restart or a lake outage the next pass finds exactly the
-- partitions still owed (the state is here, not in memory).
CREATE TABLE curated_partition (
    table_name  ${text}(40) NOT NULL,       -- streams, playlists, tracks, ...
    user_id     ${text}(100) NOT NULL,      -- '' for the catalogue tables (not per user)
    part_year   INT NOT NULL,               -- the UTC year and month of streams; 0 for tables not split by time
    part_month  INT NOT NULL,
    fingerprint ${text}(400) NOT NULL,      -- counts and sums of the rows (CuratedTable.fingerprint)
    row_count   BIGINT NOT NULL,
    lake_path   ${text}(1024) NOT NULL,
    written_at  ${timestamp} NOT NULL,
    PRIMARY KEY (table_name, user_id, part_year, part_month)
);
