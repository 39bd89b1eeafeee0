-- Analytics and segments (DOMAIN §6).
--
-- sales_facts is a narrow copy of every purchase and return, one row per
-- event, written by an ingestion hook in the event's transaction: the
-- lines of events are JSON in events.body, which neither engine can sum
-- portably or fast. amount is the net line amount in minor units
-- (positive for returns too: type tells the sign), qty the units, cost
-- the recorded line cost (qty × unit cost; 0 where none was sent).
-- Events stored before this table existed are copied by
-- `loyal analytics backfill`.
CREATE TABLE sales_facts (
	tenant_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	occurred_ms BIGINT NOT NULL,
	type TEXT NOT NULL,
	amount BIGINT NOT NULL,
	qty BIGINT NOT NULL,
	cost BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX sales_facts_org ON sales_facts (tenant_id, organization_id, occurred_ms, type, amount, cost);

-- Saved segments: rules over organization attributes and analytics.
CREATE TABLE segments (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	rules TEXT NOT NULL,
	members BIGINT NOT NULL,
	refreshed_ms BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX segments_code ON segments (tenant_id, code);

-- Materialized memberships, replaced by a refresh; rules read them as
-- org.segments.
CREATE TABLE segment_members (
	tenant_id TEXT NOT NULL,
	segment_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	PRIMARY KEY (tenant_id, segment_id, organization_id)
);
CREATE INDEX segment_members_org ON segment_members (tenant_id, organization_id);
