-- Genres from MusicBrainz for artists Spotify sends none for: each Spotify artist is looked up
-- once (through one of its tracks' ISRC), and the answer, found or not, is remembered here.
CREATE TABLE musicbrainz_lookup (
    artist_id    ${text}(22) NOT NULL PRIMARY KEY,  -- Spotify artist
    mbid         ${text}(36),                       -- MusicBrainz artist; null: not found
    looked_up_at ${timestamp} NOT NULL
);
