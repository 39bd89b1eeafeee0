-- The operator console: staff passwords, sessions in the database, sign-in
-- throttling, single-use staff tokens (password reset, invitation), and the
-- tenant settings the console's approvals need.

-- Tenant settings. version_approval: a new version of a running program
-- waits for a second person's approval before it takes effect.
-- adjust_limit: the most points a support agent or account manager may
-- adjust without approval.
ALTER TABLE tenants ADD COLUMN version_approval BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN adjust_limit BIGINT NOT NULL DEFAULT 1000;

-- A staff user's password (argon2id, PHC string; '' for none yet) and when
-- it was last set: sessions begun before that are ended.
ALTER TABLE staff_users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_users ADD COLUMN password_ms BIGINT NOT NULL DEFAULT 0;

-- Sessions of people signed in to a web area. The cookie holds the tenant
-- id and a secret; only the secret's SHA-256 is stored. subject_kind is
-- 'staff' for the console ('member' for the portal).
CREATE TABLE sessions (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id_hash TEXT NOT NULL,
	subject_kind TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	seen_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	user_agent TEXT NOT NULL,
	address TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_subject ON sessions (tenant_id, subject_kind, subject_id);

-- Failed sign-ins per account and per address: back-off and lock-out.
-- subject is 'account:<e-mail>' or 'address:<ip>'.
CREATE TABLE signin_failures (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	subject TEXT NOT NULL,
	failures BIGINT NOT NULL,
	last_ms BIGINT NOT NULL,
	locked_until_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, subject)
);

-- Single-use, expiring links sent to staff by e-mail: a password reset or
-- an invitation. Only the secret's SHA-256 is stored.
CREATE TABLE staff_tokens (
	tenant_id TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	staff_id TEXT NOT NULL,
	purpose TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	used_ms BIGINT,
	PRIMARY KEY (tenant_id, token_hash),
	FOREIGN KEY (tenant_id, staff_id) REFERENCES staff_users (tenant_id, id)
);
CREATE INDEX staff_tokens_staff ON staff_tokens (tenant_id, staff_id);

-- Program versions waiting for a second person: approval is '' for a
-- version in force (every version before this migration), 'pending' or
-- 'rejected'.
ALTER TABLE program_versions ADD COLUMN approval TEXT NOT NULL DEFAULT '';
ALTER TABLE program_versions ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE program_versions ADD COLUMN decided_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE program_versions ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';
ALTER TABLE program_versions ADD COLUMN requested_by TEXT NOT NULL DEFAULT '';

-- The console's dashboard reads today's and this month's sales and ledger
-- transactions by time.
CREATE INDEX sales_facts_time ON sales_facts (tenant_id, occurred_ms);
CREATE INDEX ledger_txs_time ON ledger_txs (tenant_id, effective_ms);
-- The console's search box finds an organization by a member's phone.
CREATE INDEX members_phone ON members (tenant_id, phone);
-- ... and by the beginning of a name, case-insensitively.
CREATE INDEX organizations_name ON organizations (tenant_id, lower(name));
CREATE INDEX organizations_tax_id ON organizations (tenant_id, tax_id);
-- The dashboard splits sales by whether the buyer is enrolled in a program.
CREATE INDEX program_states_owner ON program_states (tenant_id, owner_type, owner_id);
