-- The hourly extraction (issue 9, routes/live-extraction.camel.yaml, docs/live.md).

-- One tick: opened by the replica the schedule fired on (or by `encore live`), with a row per
-- connected user in live_poll. The call budget of the tick is shared by every replica's workers
-- through two counters taken down by conditional UPDATEs: recently-played calls (one per user),
-- then the optional calls (playlists, top items, saved tracks) that the daily budget leaves.
CREATE TABLE live_tick (
    tick_id        BIGINT ${identity} PRIMARY KEY,
    opened_at      ${timestamp} NOT NULL,
    opened_by      ${text}(200) NOT NULL,
    users          INT NOT NULL,
    essential_left INT NOT NULL,
    optional_left  INT NOT NULL,
    budget_note    ${text}(500)
);
CREATE INDEX ix_live_tick_opened ON live_tick (opened_at);

-- One user's share of a tick, claimed by one worker with a conditional UPDATE (status 'open' ->
-- 'claimed'); a claim older than the lease belonged to a replica that died and is taken over.
-- status: open, claimed, polled, reconnect (needs to reconnect), failed, paused, superseded.
CREATE TABLE live_poll (
    tick_id     BIGINT NOT NULL REFERENCES live_tick (tick_id),
    user_id     ${text}(100) NOT NULL,
    status      ${text}(16) NOT NULL,
    claimed_by  ${text}(200),
    claimed_at  ${timestamp},
    attempts    INT NOT NULL DEFAULT 0,
    finished_at ${timestamp},
    calls       INT NOT NULL DEFAULT 0,
    raw_files   INT NOT NULL DEFAULT 0,
    deferred    INT NOT NULL DEFAULT 0,
    note        ${text}(500),
    PRIMARY KEY (tick_id, user_id)
);
CREATE INDEX ix_live_poll_status ON live_poll (status, tick_id);

-- Where each user's extraction stands, moved only after the answer's raw file is durably
-- written: recently-played (the newest played_at, Unix ms), saved-tracks (the newest added_at),
-- top (when the top items were last fetched), playlist:<id> (the snapshot_id whose items are
-- in the lake).
CREATE TABLE live_cursor (
    user_id      ${text}(100) NOT NULL,
    cursor_name  ${text}(100) NOT NULL,
    cursor_value ${text}(200) NOT NULL,
    updated_at   ${timestamp} NOT NULL,
    PRIMARY KEY (user_id, cursor_name)
);
