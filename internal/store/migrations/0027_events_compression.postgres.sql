-- PostgreSQL only. An event's row — its body and the explained results of
-- every program, about 2.5 kB — is above the size from which PostgreSQL
-- compresses a row, and its default method (pglz) costs more CPU per row
-- than the rest of the insert. lz4 compresses such JSON about as well for
-- a fraction of the CPU: batch ingestion measured about 5% faster. Rows
-- stored before keep their compression. lz4 needs PostgreSQL 14 or later
-- built with it (Debian's packages and the official images are); a server
-- without it keeps pglz.
DO $$
BEGIN
	IF current_setting('server_version_num')::int >= 140000 THEN
		EXECUTE 'ALTER TABLE events ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN results SET COMPRESSION lz4';
	END IF;
EXCEPTION WHEN feature_not_supported THEN
	NULL;
END $$;
