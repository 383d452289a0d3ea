-- Described artists without Spotify genres and not looked up on MusicBrainz yet, each with one of
-- its tracks' ISRC (the way into MusicBrainz).
SELECT a.artist_id, MIN(a.name) AS name, MIN(t.isrc) AS isrc
FROM artist a
JOIN track_artist ta ON ta.artist_id = a.artist_id
JOIN track t ON t.track_id = ta.track_id
WHERE t.isrc IS NOT NULL AND a.name IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM artist_genre g WHERE g.artist_id = a.artist_id AND g.source = 'spotify')
  AND NOT EXISTS (SELECT 1 FROM musicbrainz_lookup m WHERE m.artist_id = a.artist_id)
GROUP BY a.artist_id
ORDER BY a.artist_id
