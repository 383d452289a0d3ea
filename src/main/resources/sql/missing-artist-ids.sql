-- Artist IDs the described tracks credit, or the user's top artists name, that are neither
-- described nor known to be unresolvable.
SELECT r.id
FROM (SELECT DISTINCT artist_id AS id FROM track_artist
      UNION SELECT SUBSTRING(item_uri, 16, 22) AS id FROM top_item
      WHERE item_kind = 'artist' AND item_uri LIKE 'spotify:artist:______________________') r
WHERE NOT EXISTS (SELECT 1 FROM artist d WHERE d.artist_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM unresolved_id u WHERE u.kind = 'artist' AND u.spotify_id = r.id)
ORDER BY r.id
