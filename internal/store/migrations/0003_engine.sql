-- Programs that run: lifecycle with pilot groups, immutable versions of
-- rules and mechanics, per-participant program state, and ingested events
-- with what each program did with them.

ALTER TABLE programs ADD COLUMN pilot TEXT NOT NULL DEFAULT '[]';
ALTER TABLE programs ADD COLUMN control TEXT NOT NULL DEFAULT '[]';
ALTER TABLE programs ADD COLUMN starts_ms BIGINT;
ALTER TABLE programs ADD COLUMN ends_ms BIGINT;

-- An edit of a program is a new version in force from a time; an event is
-- evaluated by the version in force when it occurred.
CREATE TABLE program_versions (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	version BIGINT NOT NULL,
	effective_ms BIGINT NOT NULL,
	definition TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id, version),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- What a program remembers of a participant (tier, stamps, counters,
-- monthly totals, caps) as JSON, and when its next review is due. The
-- program's own row (budget, per-rule caps) has owner_type 'program'.
CREATE TABLE program_states (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	state TEXT NOT NULL,
	due_ms BIGINT,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id, owner_type, owner_id)
);
CREATE INDEX program_states_due ON program_states (tenant_id, due_ms) WHERE due_ms IS NOT NULL;

-- Ingested events. (source, external_id) is unique per tenant: the same
-- event sent twice has one effect. results holds each program's outcome,
-- updated when a return takes part of it back.
CREATE TABLE events (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	source TEXT NOT NULL,
	external_id TEXT NOT NULL,
	type TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	member_id TEXT,
	occurred_ms BIGINT NOT NULL,
	hash TEXT NOT NULL,
	body TEXT NOT NULL,
	results TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX events_external ON events (tenant_id, source, external_id);
CREATE INDEX events_organization ON events (tenant_id, organization_id, occurred_ms);

-- Messages that programs asked to send (a rule's message effect), written
-- in the same transaction as the event that caused them; the notifications
-- work delivers them and sets sent_ms.
CREATE TABLE outbox (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	payload TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	sent_ms BIGINT,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_unsent ON outbox (tenant_id, created_ms) WHERE sent_ms IS NULL;
