-- Track IDs the streams (or name searches), playlists, saved tracks and top tracks reference that
-- are neither described nor known to be unresolvable. 22 characters (LENGTH is not T-SQL); the
-- planner keeps only real base-62 IDs.
SELECT r.id
FROM (SELECT DISTINCT SUBSTRING(track_uri, 15, 22) AS id FROM stream
      WHERE track_uri LIKE 'spotify:track:______________________'
      UNION SELECT track_id AS id FROM name_match WHERE track_id IS NOT NULL
      UNION SELECT SUBSTRING(item_uri, 15, 22) AS id FROM playlist_item
      WHERE item_uri LIKE 'spotify:track:______________________'
      UNION SELECT SUBSTRING(track_uri, 15, 22) AS id FROM saved_track
      WHERE track_uri LIKE 'spotify:track:______________________'
      UNION SELECT SUBSTRING(item_uri, 15, 22) AS id FROM top_item
      WHERE item_kind = 'track' AND item_uri LIKE 'spotify:track:______________________') r
WHERE NOT EXISTS (SELECT 1 FROM track d WHERE d.track_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM unresolved_id u WHERE u.kind = 'track' AND u.spotify_id = r.id)
ORDER BY r.id
