-- Who may sign in (issue 11, docs/access.md). An account is an Encore user: the name is the
-- user_id whose listening it sees (app_user may not exist yet: no export loaded). An admin sees
-- every user. The password is kept as a PBKDF2-HMAC-SHA256 hash with its own salt and
-- iteration count ('pbkdf2-sha256$iterations$salt$hash', base64), never as itself.
CREATE TABLE account (
    user_id             ${text}(100) NOT NULL PRIMARY KEY,
    password_hash       ${text}(200) NOT NULL,
    is_admin            ${bool} NOT NULL,
    created_at          ${timestamp} NOT NULL,
    password_changed_at ${timestamp} NOT NULL
);

-- Signed-in browsers. The cookie's value is a random 256-bit secret: only its SHA-256 is stored,
-- so a copy of the database opens no session. In the database, not in memory, so that a restart
-- signs no one out and any replica knows every session.
CREATE TABLE web_session (
    session_hash ${text}(64) NOT NULL PRIMARY KEY,  -- SHA-256 of the cookie's value, hex
    user_id      ${text}(100) NOT NULL REFERENCES account (user_id) ON DELETE CASCADE,
    created_at   ${timestamp} NOT NULL,
    last_seen_at ${timestamp} NOT NULL,
    expires_at   ${timestamp} NOT NULL
);
CREATE INDEX ix_web_session_user ON web_session (user_id);

-- API tokens for scripts and Power BI, one row per token. The token ('enc_' and 43 random
-- base64url characters) is shown once; only its SHA-256 is stored. token_id is the public
-- handle a user revokes it by.
CREATE TABLE api_token (
    token_id     ${text}(16) NOT NULL PRIMARY KEY,
    token_hash   ${text}(64) NOT NULL UNIQUE,
    user_id      ${text}(100) NOT NULL REFERENCES account (user_id) ON DELETE CASCADE,
    label        ${text}(100) NOT NULL,
    created_at   ${timestamp} NOT NULL,
    last_used_at ${timestamp}
);
CREATE INDEX ix_api_token_user ON api_token (user_id);
