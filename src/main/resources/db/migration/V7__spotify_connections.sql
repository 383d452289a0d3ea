-- Connected Spotify accounts (issue 9, docs/connect.md): one per Encore user, with the refresh
-- token the hourly extraction renews its access from. The token is stored encrypted by
-- dev.encore.connect.TokenCipher (AES-256-GCM, the user id as associated data): 'v1:' and the
-- base64 of IV, ciphertext and tag. Access tokens are never stored (they live an hour, in memory).
CREATE TABLE spotify_connection (
    user_id              ${text}(100) NOT NULL PRIMARY KEY REFERENCES app_user (user_id),
    spotify_user_id      ${text}(200) NOT NULL,
    spotify_display_name ${text}(400),
    scopes               ${text}(1000) NOT NULL,   -- as Spotify granted them, space-separated
    refresh_token        ${text}(2000) NOT NULL,   -- encrypted, see above
    status               ${text}(16) NOT NULL,     -- connected, or reconnect (Spotify said invalid_grant)
    connected_at         ${timestamp} NOT NULL,
    refreshed_at         ${timestamp},             -- the last successful refresh
    reconnect_since      ${timestamp},             -- when the refresh was refused
    reconnect_reason     ${text}(500)              -- Spotify's error_description
);

-- Authorizations begun at /connect and not yet finished at the callback. In the database, not in
-- memory, so that any replica can take the callback. Only hashes of the state and of the browser's
-- session cookie are kept; the PKCE code verifier is encrypted like a refresh token. A row is
-- claimed once (used_at, a conditional UPDATE), and rows older than the state's lifetime are
-- deleted by the next /connect.
CREATE TABLE spotify_authorization (
    state_hash    ${text}(64) NOT NULL PRIMARY KEY,  -- SHA-256 of the state, hex
    session_hash  ${text}(64) NOT NULL,              -- SHA-256 of the session cookie, hex
    user_id       ${text}(100) NOT NULL,             -- the Encore user being connected (app_user may not exist yet)
    code_verifier ${text}(400) NOT NULL,             -- encrypted
    created_at    ${timestamp} NOT NULL,
    used_at       ${timestamp}
);
CREATE INDEX ix_spotify_authorization_created ON spotify_authorization (created_at);
