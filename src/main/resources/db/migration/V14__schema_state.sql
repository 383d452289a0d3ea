-- The fingerprint of the scripts, placeholders and Flyway version the schema was last migrated
-- with (SchemaFingerprint). A start that finds its own fingerprint here skips Flyway's validation,
-- a third of a second of every one-shot command; anything else runs Flyway as before.
CREATE TABLE schema_state (
    id          INT NOT NULL PRIMARY KEY,
    fingerprint ${text}(64) NOT NULL,
    migrated_at ${timestamp} NOT NULL
);
