-- The SHA-256 of a source file's bytes (the whole ZIP, or the loose JSON file), recorded on its
-- runs once the whole file has loaded, so that the same bytes uploaded again by the same user are
-- recognised before they are parsed (ExportImporter). A rejected, failed or interrupted load
-- never gets one. Older rows have none, and are simply loaded again (counting nothing twice).
ALTER TABLE import_run ADD content_digest ${text}(64);
CREATE INDEX ix_import_run_digest ON import_run (user_id, content_digest);
