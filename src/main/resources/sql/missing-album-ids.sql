-- Album IDs the described tracks name that are neither described nor known to be unresolvable.
SELECT r.id
FROM (SELECT DISTINCT album_id AS id FROM track WHERE album_id IS NOT NULL) r
WHERE NOT EXISTS (SELECT 1 FROM album d WHERE d.album_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM unresolved_id u WHERE u.kind = 'album' AND u.spotify_id = r.id)
ORDER BY r.id
