-- Imports of ERP files (issue 6): column mappings saved per tenant by
-- name, and the record of every import run with its summary.

CREATE TABLE import_mappings (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	mapping TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX import_mappings_name ON import_mappings (tenant_id, name);

CREATE TABLE imports (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	file_name TEXT NOT NULL,
	mapping_id TEXT NOT NULL,
	mapping_name TEXT NOT NULL,
	summary TEXT NOT NULL,
	started_ms BIGINT NOT NULL,
	finished_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
