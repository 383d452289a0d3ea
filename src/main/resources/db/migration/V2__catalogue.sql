-- Encore schema, part 2: the catalogue that enrichment fills from the Spotify Web API (and
-- MusicBrainz), and the state that makes enrichment resumable and frugal with calls.
-- Every catalogue row is keyed by the ID that was asked for: Spotify may relink a track to
-- another ID, which is kept in track.spotify_id.

CREATE TABLE album (
    album_id               ${text}(22) NOT NULL PRIMARY KEY,
    name                   ${text}(1000),
    album_type             ${text}(20),
    release_date           ${text}(10),
    release_date_precision ${text}(5),       -- year, month or day
    total_tracks           INT,
    label                  ${text}(500),     -- not sent to Development Mode apps since Feb 2026
    popularity             INT,              -- idem
    image_url              ${text}(500),
    described_at           ${timestamp} NOT NULL
);

CREATE TABLE artist (
    artist_id    ${text}(22) NOT NULL PRIMARY KEY,
    name         ${text}(1000),
    image_url    ${text}(500),
    followers    BIGINT,                     -- not sent to Development Mode apps since Feb 2026
    popularity   INT,                        -- idem
    described_at ${timestamp} NOT NULL
);

CREATE TABLE track (
    track_id     ${text}(22) NOT NULL PRIMARY KEY,  -- the ID the export (and the request) named
    spotify_id   ${text}(22),                       -- the ID Spotify answered with, when relinked
    name         ${text}(1000),
    album_id     ${text}(22),
    duration_ms  INT,
    explicit     ${bool},
    disc_number  INT,
    track_number INT,
    isrc         ${text}(20),
    popularity   INT,                               -- not sent to Development Mode apps since Feb 2026
    described_at ${timestamp} NOT NULL
);

CREATE TABLE track_artist (
    track_id  ${text}(22) NOT NULL,
    position  INT NOT NULL,                  -- 0 = primary artist, in Spotify's order
    artist_id ${text}(22) NOT NULL,
    PRIMARY KEY (track_id, position)
);

CREATE TABLE genre (
    genre_id BIGINT ${identity} PRIMARY KEY,
    name     ${text}(200) NOT NULL
);
CREATE UNIQUE INDEX ux_genre_name ON genre (name);

CREATE TABLE artist_genre (
    artist_id ${text}(22) NOT NULL,
    genre_id  BIGINT NOT NULL REFERENCES genre (genre_id),
    source    ${text}(20) NOT NULL,          -- spotify or musicbrainz
    PRIMARY KEY (artist_id, genre_id, source)
);

-- IDs Spotify answered 404 or null for: not asked again unless an operator deletes the row.
CREATE TABLE unresolved_id (
    kind        ${text}(10) NOT NULL,        -- track, album, artist
    spotify_id  ${text}(22) NOT NULL,
    status_code INT,
    reason      ${text}(500) NOT NULL,
    recorded_at ${timestamp} NOT NULL,
    PRIMARY KEY (kind, spotify_id)
);

-- A 429 becomes a pause that every replica honours, across restarts: no call before resume_at.
CREATE TABLE api_pause (
    api         ${text}(40) NOT NULL PRIMARY KEY,
    resume_at   ${timestamp} NOT NULL,
    reason      ${text}(500) NOT NULL,
    recorded_at ${timestamp} NOT NULL
);

-- Decisions learned from an API that must outlive a restart, e.g. that batch endpoints answer 403.
CREATE TABLE api_setting (
    setting_name  ${text}(100) NOT NULL PRIMARY KEY,
    setting_value ${text}(200) NOT NULL,
    changed_at ${timestamp} NOT NULL
);
