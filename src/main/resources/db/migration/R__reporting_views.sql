-- The reporting views Power BI and Synapse read (docs/insights.md, powerbi/README.md), dropped
-- and re-created by Flyway after the versioned migrations whenever this file's text, or a
-- placeholder value it uses, changes. A change to a view is an edit of this file only.
-- V5__insights.sql created their first version and stays as it is: Flyway validates the
-- checksums of the versioned migrations a database has applied.
-- A versioned migration that changes a column these views read must drop them first.
--   ${true}        TRUE, or 1 on SQL Server (BIT)
--   ${local_time}  s.ts_utc shifted by o.offset_minutes (DATEADD, or + INTERVAL on PostgreSQL)
--   ${local_hour}, ${local_month}, ${local_year}  a field of that local time (EXTRACT or DATEPART)
--   ${go}          GO on SQL Server, nothing elsewhere: Flyway sends SQL Server a script in batches
--                  between GOs, and a CREATE VIEW must begin its batch
-- DROP VIEW IF EXISTS works on H2, PostgreSQL, SQL Server 2016+ and Azure SQL; dependants go first.
DROP VIEW IF EXISTS v_listening_gap;
DROP VIEW IF EXISTS v_saved_track;
DROP VIEW IF EXISTS v_top_item;
DROP VIEW IF EXISTS v_playlist_item;
DROP VIEW IF EXISTS v_yearly_top_genres;
DROP VIEW IF EXISTS v_yearly_top_artists;
DROP VIEW IF EXISTS v_yearly_top_tracks;
DROP VIEW IF EXISTS v_hourly_listening;
DROP VIEW IF EXISTS v_daily_listening;
DROP VIEW IF EXISTS v_stream_enriched;
${go}

-- Every stream with its local time, the catalogue's description where enrichment has run, and
-- the flags of Encore's default rules (music = kind music, or unknown with a name; play = 30 s or more;
-- private sessions aside). The aggregate views below apply those rules, as the API does.
CREATE VIEW v_stream_enriched AS
SELECT s.stream_id,
       s.user_id,
       s.ts_utc,
       o.time_zone,
       ${local_time} AS ts_local,
       CAST(${local_time} AS DATE) AS local_date,
       ${local_year} AS local_year,
       ${local_month} AS local_month,
       ${local_hour} AS local_hour,
       s.kind,
       CASE WHEN s.kind = 'music' OR (s.kind = 'unknown' AND (s.track_name IS NOT NULL OR s.artist_name IS NOT NULL))
            THEN 1 ELSE 0 END AS is_music,
       CASE WHEN s.ms_played >= 30000 THEN 1 ELSE 0 END AS is_play,
       CASE WHEN s.incognito = ${true} THEN 1 ELSE 0 END AS is_incognito,
       CASE WHEN s.skipped IS NULL THEN NULL WHEN s.skipped = ${true} THEN 1 ELSE 0 END AS is_skipped,
       CAST(s.ms_played AS BIGINT) AS ms_played,  -- SQL Server sums an INT as INT: 596 hours would overflow
       s.ms_played / 60000.0 AS minutes,
       s.content_hash AS track_key,
       s.track_uri,
       t.track_id,
       s.track_name,
       COALESCE(ar.name, s.artist_name) AS artist_name,
       ar.artist_id,
       CASE WHEN ar.name IS NOT NULL THEN 'catalogue' ELSE 'export' END AS artist_source,
       s.artist_name AS export_artist_name,
       s.album_name,
       al.album_id,
       al.image_url AS album_image_url,
       ar.image_url AS artist_image_url,
       s.show_name,
       s.episode_name,
       s.platform,
       s.conn_country,
       s.source,                                   -- export, or api (a play polled from the Web API)
       CASE WHEN s.ms_played_estimated = ${true} THEN 1 ELSE 0 END AS is_estimated,  -- ms_played is the track's length
       CASE WHEN s.api_played_at IS NOT NULL THEN 1 ELSE 0 END AS is_api_confirmed,  -- an export stream the Web API also listed
       s.context_type,
       s.context_uri
FROM stream s
LEFT JOIN user_utc_offset o ON o.user_id = s.user_id AND s.ts_utc >= o.utc_from AND s.ts_utc < o.utc_to
LEFT JOIN name_match nm ON s.track_uri IS NULL AND nm.content_hash = s.content_hash
LEFT JOIN track t ON t.track_id = COALESCE(SUBSTRING(s.track_uri, 15, 22), nm.track_id)
LEFT JOIN album al ON al.album_id = t.album_id
LEFT JOIN track_artist ta ON ta.track_id = t.track_id AND ta.position = 0
LEFT JOIN artist ar ON ar.artist_id = ta.artist_id;
${go}

CREATE VIEW v_daily_listening AS
SELECT user_id, local_date,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_date;
${go}

CREATE VIEW v_hourly_listening AS
SELECT user_id, local_date, local_hour,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_date, local_hour;
${go}

-- Tops per calendar year (local); rank by minutes or plays in a report's own Top N filter.
CREATE VIEW v_yearly_top_tracks AS
SELECT user_id, local_year, track_key,
       MAX(track_name) AS track_name, MAX(export_artist_name) AS artist_name, MAX(track_uri) AS track_uri,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_year, track_key;
${go}

CREATE VIEW v_yearly_top_artists AS
SELECT user_id, local_year, LOWER(TRIM(artist_name)) AS artist_key,
       MAX(artist_name) AS artist_name, MAX(artist_id) AS artist_id,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0 AND artist_name IS NOT NULL
GROUP BY user_id, local_year, LOWER(TRIM(artist_name));
${go}

CREATE VIEW v_yearly_top_genres AS
SELECT v.user_id, v.local_year, g.name AS genre,
       COUNT(*) AS streams, SUM(v.is_play) AS plays, SUM(v.ms_played) AS ms_played, SUM(v.ms_played) / 60000.0 AS minutes
FROM v_stream_enriched v
JOIN (SELECT DISTINCT artist_id, genre_id FROM artist_genre) ag ON ag.artist_id = v.artist_id
JOIN genre g ON g.genre_id = ag.genre_id
WHERE v.is_music = 1 AND v.is_incognito = 0
GROUP BY v.user_id, v.local_year, g.name;
${go}

-- The Web API's view of each user's library (docs/raw-zone.md), as of the newest fetch.
CREATE VIEW v_playlist_item AS
SELECT i.user_id, i.playlist_id, p.playlist_name, p.owner_name, p.is_collaborative, p.snapshot_id,
       i.position, i.item_type, i.item_uri,
       CASE WHEN i.item_uri LIKE 'spotify:track:%' THEN SUBSTRING(i.item_uri, 15, 22) END AS track_id,
       i.item_name, i.artist_name, i.album_name, CAST(i.duration_ms AS BIGINT) AS duration_ms,
       CASE WHEN i.is_local = ${true} THEN 1 ELSE 0 END AS is_local,
       i.added_at, i.added_by, i.fetched_at
FROM playlist_item i
LEFT JOIN playlist p ON p.user_id = i.user_id AND p.playlist_id = i.playlist_id;
${go}

-- Every day's top tracks and artists per time range (short_term ~4 weeks, medium_term ~6 months, long_term ~1 year).
CREATE VIEW v_top_item AS
SELECT user_id, item_kind, time_range, snapshot_date, item_rank, item_uri, item_name, artist_name, album_name, fetched_at
FROM top_item;
${go}

CREATE VIEW v_saved_track AS
SELECT user_id, track_uri, SUBSTRING(track_uri, 15, 22) AS track_id, track_name, artist_name, album_name,
       CAST(duration_ms AS BIGINT) AS duration_ms, added_at, CAST(added_at AS DATE) AS added_date
FROM saved_track;
${go}

-- Stretches of time whose plays the Web API may have left out, until an export closes them.
CREATE VIEW v_listening_gap AS
SELECT user_id, gap_from, gap_to, opened_at, closed_at,
       CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END AS is_open
FROM listening_gap;
