-- Goals ("do A, get B", DOMAIN.md §3.13): a target for an organization or
-- one of its members over a period, whose progress every ingested event
-- updates in its own transaction, and whose reward is granted once.
--
-- status is what was decided (active, achieved, cancelled); upcoming and
-- expired are derived from the period when read. progress is the raw
-- counter of the metric (for share: the operator's net purchase amount);
-- partner_total is the partner's reported total purchases (share only).
CREATE TABLE goals (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	member_id TEXT,
	name TEXT NOT NULL,
	metric TEXT NOT NULL,
	skus TEXT NOT NULL,
	categories TEXT NOT NULL,
	target BIGINT NOT NULL,
	starts_ms BIGINT NOT NULL,
	ends_ms BIGINT NOT NULL,
	point_type_id TEXT,
	reward_points BIGINT NOT NULL,
	reward_text TEXT NOT NULL,
	status TEXT NOT NULL,
	progress BIGINT NOT NULL,
	partner_total BIGINT NOT NULL,
	achieved_ms BIGINT,
	achieved_event TEXT,
	reward_tx TEXT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
	FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
-- The ingestion hook reads an organization's active goals with every event.
CREATE INDEX goals_organization ON goals (tenant_id, organization_id, status);
CREATE INDEX goals_member ON goals (tenant_id, member_id);
