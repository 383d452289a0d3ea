-- Distinct name-only music streams (no track URI) not looked up with the Search API yet.
SELECT s.content_hash, MIN(s.artist_name) AS artist_name, MIN(s.track_name) AS track_name
FROM stream s
WHERE s.track_uri IS NULL AND s.track_name IS NOT NULL AND s.artist_name IS NOT NULL
  AND s.kind IN ('music', 'unknown')
  AND NOT EXISTS (SELECT 1 FROM name_match m WHERE m.content_hash = s.content_hash)
GROUP BY s.content_hash
ORDER BY s.content_hash
