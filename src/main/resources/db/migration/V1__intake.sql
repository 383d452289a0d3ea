-- Encore schema, part 1: users, listening events and the bookkeeping of imports.
-- One file for H2, PostgreSQL and SQL Server: the few type names that differ are Flyway
-- placeholders, filled per database by dev.encore.store.Dialect.
--   ${text}      VARCHAR, or NVARCHAR on SQL Server (names are Unicode)
--   ${timestamp} TIMESTAMP, or DATETIME2(3) on SQL Server (its TIMESTAMP is a row version)
--   ${bool}      BOOLEAN, or BIT on SQL Server
--   ${identity}  the clause that makes a BIGINT column generate its own values

CREATE TABLE app_user (
    user_id        ${text}(100) NOT NULL PRIMARY KEY,
    display_name   ${text}(200),
    time_zone      ${text}(64),
    created_at     ${timestamp} NOT NULL,
    last_import_at ${timestamp},
    -- 1 once account data (minute precision) was loaded: only then must extended records look
    -- for account rows to upgrade, which spares every other import that search
    has_minute_streams INT NOT NULL DEFAULT 0
);

CREATE TABLE import_run (
    import_run_id     BIGINT ${identity} PRIMARY KEY,
    user_id           ${text}(100) NOT NULL REFERENCES app_user (user_id),
    source_path       ${text}(1024) NOT NULL,
    source_kind       ${text}(16) NOT NULL,   -- local, adls or cli
    format            ${text}(40),            -- detected from the keys, see ExportFormat
    status            ${text}(16) NOT NULL,   -- running, loaded, skipped, rejected, failed
    records_read      INT NOT NULL DEFAULT 0,
    records_inserted  INT NOT NULL DEFAULT 0,
    records_duplicate INT NOT NULL DEFAULT 0,
    records_rejected  INT NOT NULL DEFAULT 0,
    error             ${text}(2000),
    started_at        ${timestamp} NOT NULL,
    finished_at       ${timestamp}
);

-- Why single records of a loaded file were refused (the first 100 per run).
CREATE TABLE import_rejected_record (
    import_run_id BIGINT NOT NULL REFERENCES import_run (import_run_id),
    record_number INT NOT NULL,
    reason        ${text}(500) NOT NULL,
    PRIMARY KEY (import_run_id, record_number)
);

-- The fact table has no foreign keys: checking two of them per row halved the load speed, as is
-- usual for warehouse facts. The loader writes app_user and import_run first, and a test checks
-- that no stream points nowhere.
CREATE TABLE stream (
    stream_id       BIGINT ${identity} PRIMARY KEY,
    user_id         ${text}(100) NOT NULL,    -- app_user.user_id
    ts_utc          ${timestamp} NOT NULL,    -- when the stream ended, UTC
    ts_precision    ${text}(6) NOT NULL,      -- 'second' (extended history) or 'minute' (account data)
    ms_played       INT NOT NULL,
    kind            ${text}(10) NOT NULL,     -- music, episode, audiobook, video, unknown
    content_hash    BIGINT NOT NULL,          -- 64-bit FNV-1a of the normalised creator and title, see ContentKey
    track_uri       ${text}(200),
    episode_uri     ${text}(200),
    audiobook_uri   ${text}(200),
    chapter_uri     ${text}(200),
    track_name      ${text}(1000),
    artist_name     ${text}(1000),
    album_name      ${text}(1000),
    episode_name    ${text}(1000),
    show_name       ${text}(1000),
    audiobook_title ${text}(1000),
    chapter_title   ${text}(1000),
    platform        ${text}(500),
    conn_country    ${text}(8),
    reason_start    ${text}(40),
    reason_end      ${text}(40),
    shuffle         ${bool},
    skipped         ${bool},
    offline         ${bool},
    offline_ts      ${timestamp},
    incognito       ${bool},
    source          ${text}(10) NOT NULL,     -- export or api
    import_run_id   BIGINT                    -- import_run.import_run_id of the run that added it
);

-- The natural key: a re-upload, two overlapping exports or a repeat inside a file land once.
CREATE UNIQUE INDEX ux_stream_natural_key ON stream (user_id, ts_utc, ms_played, content_hash);

-- Claims on source files (Camel IdempotentRepository, see FileClaimRepository): one row per
-- file version, so two replicas never load the same upload. A claim still 'claimed' after its
-- lease belonged to a replica that died mid-import and may be taken over. claim_id is a SHA-256
-- of the key because SQL Server cannot index a 1024-character key.
CREATE TABLE file_claim (
    claim_id   ${text}(64) NOT NULL PRIMARY KEY,
    claim_key  ${text}(1024) NOT NULL,
    status     ${text}(10) NOT NULL,          -- claimed, done
    claimed_by ${text}(200) NOT NULL,
    claimed_at ${timestamp} NOT NULL
);
