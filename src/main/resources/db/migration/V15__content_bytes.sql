-- The size of the file whose digest a loaded run carries. Only a file of a size among the user's
-- loads can be the same bytes again, so any other is hashed while it is parsed instead of before
-- (ExportImporter): the hash leaves the path of a first load. Older runs have no size and keep
-- every file of their user on the hash-first path, as before.
ALTER TABLE import_run ADD content_bytes BIGINT;
