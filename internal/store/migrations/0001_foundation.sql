-- Foundation: tenants, staff, API keys, organizations, members, programs
-- (the part consent needs), consent, audit log, idempotency keys.
--
-- Portable SQL: it runs unchanged on SQLite and PostgreSQL. Ids are text made
-- by the application, times are BIGINT unix milliseconds set by the
-- application, flags and counts are BIGINT, lists of enum-like words are
-- stored as ",a,b," so that one LIKE '%,a,%' tests membership on both engines.
-- Every table but tenants carries tenant_id first in its primary key, its
-- unique indexes and its foreign keys.

CREATE TABLE tenants (
	id TEXT NOT NULL PRIMARY KEY,
	slug TEXT NOT NULL,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX tenants_slug ON tenants (slug);

CREATE TABLE staff_users (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	email TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (tenant_id, email);

CREATE TABLE api_keys (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	scope TEXT NOT NULL,
	staff_id TEXT,
	secret_hash TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	revoked_ms BIGINT,
	last_used_ms BIGINT,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_users (tenant_id, id)
);

CREATE TABLE organizations (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	type TEXT NOT NULL,
	name TEXT NOT NULL,
	tax_id TEXT NOT NULL,
	external_id TEXT,
	industry TEXT NOT NULL,
	region TEXT NOT NULL,
	country TEXT NOT NULL,
	size TEXT NOT NULL,
	tags TEXT NOT NULL,
	parent_id TEXT,
	account_manager_id TEXT,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, parent_id) REFERENCES organizations (tenant_id, id),
	FOREIGN KEY (tenant_id, account_manager_id) REFERENCES staff_users (tenant_id, id)
);
CREATE UNIQUE INDEX organizations_external_id ON organizations (tenant_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX organizations_parent ON organizations (tenant_id, parent_id);
CREATE INDEX organizations_manager ON organizations (tenant_id, account_manager_id);

CREATE TABLE members (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	name TEXT NOT NULL,
	roles TEXT NOT NULL,
	email TEXT,
	phone TEXT NOT NULL,
	messenger_app TEXT NOT NULL,
	messenger_handle TEXT NOT NULL,
	preferred_channel TEXT NOT NULL,
	locale TEXT NOT NULL,
	birthday TEXT NOT NULL,
	external_id TEXT,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
);
CREATE UNIQUE INDEX members_external_id ON members (tenant_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX members_email ON members (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX members_organization ON members (tenant_id, organization_id);

-- Where a member worked, and with which roles, over time. The open row
-- (to_ms NULL) is the current one; moving a member closes it and opens another.
CREATE TABLE member_affiliations (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	roles TEXT NOT NULL,
	from_ms BIGINT NOT NULL,
	to_ms BIGINT,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
);
CREATE INDEX member_affiliations_member ON member_affiliations (tenant_id, member_id, from_ms);

CREATE TABLE programs (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- The employee-incentive terms of a program; every edit is a new version.
CREATE TABLE program_terms (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	version BIGINT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id, version),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- Every consent decision ever recorded; the newest per (organization,
-- program) is the current state.
CREATE TABLE consents (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	terms_version BIGINT NOT NULL,
	decision TEXT NOT NULL,
	method TEXT NOT NULL,
	member_id TEXT,
	signer_name TEXT NOT NULL,
	signer_title TEXT NOT NULL,
	evidence TEXT NOT NULL,
	recorded_by_type TEXT NOT NULL,
	recorded_by_id TEXT NOT NULL,
	decided_ms BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
	FOREIGN KEY (tenant_id, program_id, terms_version) REFERENCES program_terms (tenant_id, program_id, version),
	FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id)
);
CREATE INDEX consents_org_program ON consents (tenant_id, organization_id, program_id, decided_ms);

CREATE TABLE audit_log (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	at_ms BIGINT NOT NULL,
	actor_type TEXT NOT NULL,
	actor_id TEXT NOT NULL,
	action TEXT NOT NULL,
	entity_type TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	before_json TEXT NOT NULL,
	after_json TEXT NOT NULL,
	request_id TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity_type, entity_id, id);

-- Responses of creating requests sent with an Idempotency-Key header. A row
-- in state 'pending' marks a request being processed.
CREATE TABLE idempotency_keys (
	tenant_id TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	state TEXT NOT NULL,
	status BIGINT NOT NULL,
	response TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms);
