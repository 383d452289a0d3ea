-- Name-only streams (account data, the oldest endsong files) carry no URI: enrichment looks them
-- up with the Search API once per distinct artist and track, and remembers the answer here.
-- content_hash is stream.content_hash (see ContentKey), so a stream finds its match by equality.
CREATE TABLE name_match (
    content_hash BIGINT NOT NULL PRIMARY KEY,
    artist_name  ${text}(1000) NOT NULL,
    track_name   ${text}(1000) NOT NULL,
    track_id     ${text}(22),                -- null: searched, no exact match
    searched_at  ${timestamp} NOT NULL
);
