-- Artist IDs the described tracks credit that are neither described nor known to be unresolvable.
SELECT r.id
FROM (SELECT DISTINCT artist_id AS id FROM track_artist) r
WHERE NOT EXISTS (SELECT 1 FROM artist d WHERE d.artist_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM unresolved_id u WHERE u.kind = 'artist' AND u.spotify_id = r.id)
ORDER BY r.id
