-- Encore schema, part 9: listening read from the Spotify Web API (the raw zone's files, loaded by
-- routes/raw-intake.camel.yaml), and its reconciliation with exports (docs/reconciliation.md).
--   ${false}  FALSE, or 0 on SQL Server (BIT)
-- One ALTER per column: SQL Server's ADD takes no COLUMN keyword and lists columns differently.

-- A polled play is a stream with source 'api'. Spotify does not say how long it was played, so
-- ms_played holds the track's duration and ms_played_estimated says so (false for exports).
ALTER TABLE stream ADD ms_played_estimated ${bool} DEFAULT ${false} NOT NULL;
-- what the play was started from (recently-played's context: playlist, album, artist, show, collection)
ALTER TABLE stream ADD context_type ${text}(20);
ALTER TABLE stream ADD context_uri ${text}(200);
-- on an export stream: the played_at of the polled play it confirmed (one polled play at most)
ALTER TABLE stream ADD api_played_at ${timestamp};

-- import_run.source_kind is 'api' for a raw-zone file (a Web API answer), from either lake.
-- polled plays an export confirmed (export runs), or that matched a stored export stream (api runs)
ALTER TABLE import_run ADD records_confirmed INT DEFAULT 0 NOT NULL;
-- polled-play streams the run removed because an export stream now holds the play (net of any
-- put back), so that a user's stream count is SUM(records_inserted - records_replaced)
ALTER TABLE import_run ADD records_replaced INT DEFAULT 0 NOT NULL;

-- Every play recently-played ever listed, once (a re-read page repeats them): the ledger that
-- reconciliation works from. While no export holds the play it has its own stream (stream_id,
-- source 'api'); once an export stream matches it, that stream is confirmed_stream_id instead.
CREATE TABLE polled_play (
    user_id             ${text}(100) NOT NULL,
    played_at           ${timestamp} NOT NULL,     -- Spotify's played_at, UTC, to the millisecond
    track_uri           ${text}(200) NOT NULL,
    content_hash        BIGINT NOT NULL,           -- as exports compute it (ContentKey): first artist and title
    duration_ms         INT NOT NULL,
    track_name          ${text}(1000),
    artist_name         ${text}(1000),             -- the track's first artist
    album_name          ${text}(1000),
    context_type        ${text}(20),
    context_uri         ${text}(200),
    stream_id           BIGINT,                    -- its own stream (source 'api'), while unconfirmed
    confirmed_stream_id BIGINT,                    -- the export stream that holds this play
    import_run_id       BIGINT NOT NULL,           -- the raw file that first listed it
    PRIMARY KEY (user_id, played_at, track_uri)
);

-- Stretches of time whose plays recently-played could not return (it holds the last 50 only):
-- a full page whose oldest play is newer than anything stored. An export spanning it closes it.
CREATE TABLE listening_gap (
    gap_id        BIGINT ${identity} PRIMARY KEY,
    user_id       ${text}(100) NOT NULL,
    gap_from      ${timestamp} NOT NULL,          -- the newest play stored before the page
    gap_to        ${timestamp} NOT NULL,          -- the oldest play of the full page
    opened_at     ${timestamp} NOT NULL,
    opened_by_run BIGINT NOT NULL,                -- import_run of the raw file
    closed_at     ${timestamp},
    closed_by_run BIGINT                          -- import_run of the export file that spans it
);
CREATE INDEX ix_listening_gap_user ON listening_gap (user_id, gap_from);

-- The user's playlists as GET /v1/me/playlists last listed them.
CREATE TABLE playlist (
    user_id          ${text}(100) NOT NULL,
    playlist_id      ${text}(64) NOT NULL,
    playlist_name    ${text}(1000),
    description      ${text}(2000),
    owner_id         ${text}(200),
    owner_name       ${text}(1000),
    is_collaborative ${bool},
    is_public        ${bool},
    snapshot_id      ${text}(200),
    items_total      INT,
    list_position    INT,                         -- its place in the user's list, 0 first
    fetched_at       ${timestamp} NOT NULL,        -- when Spotify answered (the raw file's name)
    import_run_id    BIGINT NOT NULL,
    PRIMARY KEY (user_id, playlist_id)
);

-- Each playlist's items at the newest fetch: a page replaces the positions it holds, and the
-- positions at or past its total are dropped.
CREATE TABLE playlist_item (
    user_id       ${text}(100) NOT NULL,
    playlist_id   ${text}(64) NOT NULL,
    position      INT NOT NULL,                   -- 0 first
    item_type     ${text}(10),                    -- track or episode
    item_uri      ${text}(200),
    item_name     ${text}(1000),
    artist_name   ${text}(1000),                  -- first artist (tracks) or show (episodes)
    album_name    ${text}(1000),
    duration_ms   INT,
    is_local      ${bool},
    added_at      ${timestamp},                   -- null on very old playlists
    added_by      ${text}(200),                   -- Spotify user id, null on very old playlists
    items_total   INT NOT NULL,                   -- the playlist's length in the answer this row came from
    fetched_at    ${timestamp} NOT NULL,
    import_run_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, playlist_id, position)
);

-- GET /v1/me/top/{tracks|artists}: one snapshot per user, kind, time range and UTC day.
CREATE TABLE top_item (
    user_id       ${text}(100) NOT NULL,
    item_kind     ${text}(10) NOT NULL,           -- track or artist
    time_range    ${text}(12) NOT NULL,           -- short_term, medium_term, long_term
    snapshot_date DATE NOT NULL,                  -- UTC day of the fetch
    item_rank     INT NOT NULL,                   -- 1 first
    item_uri      ${text}(200),
    item_name     ${text}(1000),
    artist_name   ${text}(1000),                  -- tracks: first artist
    album_name    ${text}(1000),                  -- tracks only
    fetched_at    ${timestamp} NOT NULL,
    import_run_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, item_kind, time_range, snapshot_date, item_rank)
);

-- GET /v1/me/tracks: the user's saved tracks ("Liked Songs").
CREATE TABLE saved_track (
    user_id       ${text}(100) NOT NULL,
    track_uri     ${text}(200) NOT NULL,
    added_at      ${timestamp} NOT NULL,
    track_name    ${text}(1000),
    artist_name   ${text}(1000),                  -- first artist
    album_name    ${text}(1000),
    duration_ms   INT,
    fetched_at    ${timestamp} NOT NULL,
    import_run_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, track_uri)
);
