-- An organization's events are found by (organization, tenant) rather
-- than (tenant, organization). The duplicate check of ingestion looks an
-- event up by (tenant_id, source, external_id); on a table PostgreSQL has
-- no statistics for yet, an index that leads with tenant_id alone costs
-- the same to its planner, and it could pick that one and scan every
-- event of the tenant for each event received. Leading with the
-- organization, this index cannot serve a tenant-only condition, so the
-- unique (tenant_id, source, external_id) index is the only fit. Listing
-- an organization's events (both ids given) is served as before.
DROP INDEX events_organization;
CREATE INDEX events_organization ON events (organization_id, tenant_id, occurred_ms);
