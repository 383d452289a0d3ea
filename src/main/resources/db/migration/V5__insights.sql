-- Encore schema, part 5: what the insights API and BI tools read.
--   ${true}        TRUE, or 1 on SQL Server (BIT)
--   ${local_time}  s.ts_utc shifted by o.offset_minutes (DATEADD, or + INTERVAL on PostgreSQL)
--   ${local_hour}, ${local_month}, ${local_year}  a field of that local time (EXTRACT or DATEPART)

-- Each user's UTC offsets over time, written by Encore from java.time's zone rules (see
-- ReportingZones) for the user's time zone, or the default one. The views turn UTC into local
-- time with it because the three databases share no time zone function: SQL Server knows only
-- Windows zone names, and H2 converts through the session's zone.
CREATE TABLE user_utc_offset (
    user_id        ${text}(100) NOT NULL,
    utc_from       ${timestamp} NOT NULL,
    utc_to         ${timestamp} NOT NULL,
    offset_minutes INT NOT NULL,
    time_zone      ${text}(64) NOT NULL,
    PRIMARY KEY (user_id, utc_from)
);

-- When each user first streamed each artist (normalised name), per kind and private session or
-- not: "new artists of a period" reads this instead of the whole history before the period.
-- Written by every import (see ArtistFirstStreams); artist_hash keeps the key short for SQL Server.
CREATE TABLE artist_first_stream (
    user_id         ${text}(100) NOT NULL,
    artist_hash     BIGINT NOT NULL,
    kind            ${text}(10) NOT NULL,
    private_session INT NOT NULL,
    artist_key      ${text}(1000) NOT NULL,
    first_ts_utc    ${timestamp} NOT NULL,
    PRIMARY KEY (user_id, artist_hash, kind, private_session)
);

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
       s.conn_country
FROM stream s
LEFT JOIN user_utc_offset o ON o.user_id = s.user_id AND s.ts_utc >= o.utc_from AND s.ts_utc < o.utc_to
LEFT JOIN name_match nm ON s.track_uri IS NULL AND nm.content_hash = s.content_hash
LEFT JOIN track t ON t.track_id = COALESCE(SUBSTRING(s.track_uri, 15, 22), nm.track_id)
LEFT JOIN album al ON al.album_id = t.album_id
LEFT JOIN track_artist ta ON ta.track_id = t.track_id AND ta.position = 0
LEFT JOIN artist ar ON ar.artist_id = ta.artist_id;

CREATE VIEW v_daily_listening AS
SELECT user_id, local_date,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_date;

CREATE VIEW v_hourly_listening AS
SELECT user_id, local_date, local_hour,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_date, local_hour;

-- Tops per calendar year (local); rank by minutes or plays in a report's own Top N filter.
CREATE VIEW v_yearly_top_tracks AS
SELECT user_id, local_year, track_key,
       MAX(track_name) AS track_name, MAX(export_artist_name) AS artist_name, MAX(track_uri) AS track_uri,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0
GROUP BY user_id, local_year, track_key;

CREATE VIEW v_yearly_top_artists AS
SELECT user_id, local_year, LOWER(TRIM(artist_name)) AS artist_key,
       MAX(artist_name) AS artist_name, MAX(artist_id) AS artist_id,
       COUNT(*) AS streams, SUM(is_play) AS plays, SUM(ms_played) AS ms_played, SUM(ms_played) / 60000.0 AS minutes
FROM v_stream_enriched
WHERE is_music = 1 AND is_incognito = 0 AND artist_name IS NOT NULL
GROUP BY user_id, local_year, LOWER(TRIM(artist_name));

CREATE VIEW v_yearly_top_genres AS
SELECT v.user_id, v.local_year, g.name AS genre,
       COUNT(*) AS streams, SUM(v.is_play) AS plays, SUM(v.ms_played) AS ms_played, SUM(v.ms_played) / 60000.0 AS minutes
FROM v_stream_enriched v
JOIN (SELECT DISTINCT artist_id, genre_id FROM artist_genre) ag ON ag.artist_id = v.artist_id
JOIN genre g ON g.genre_id = ag.genre_id
WHERE v.is_music = 1 AND v.is_incognito = 0
GROUP BY v.user_id, v.local_year, g.name;
