-- The participants' portal: one-time sign-in codes and links for members,
-- the online registration form per program, and what each registration
-- consented to.

-- A sign-in code (6 digits) and link sent to a member by e-mail or SMS.
-- Only hashes are stored; a code works once, for a limited time, and for
-- a few tries. address is the e-mail or phone it was sent to.
CREATE TABLE member_codes (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	address TEXT NOT NULL,
	code_hash TEXT NOT NULL,
	link_hash TEXT NOT NULL,
	tries BIGINT NOT NULL DEFAULT 0,
	created_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	used_ms BIGINT,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX member_codes_address ON member_codes (tenant_id, address, created_ms);
CREATE UNIQUE INDEX member_codes_link ON member_codes (tenant_id, link_hash);

-- A program's registration form: which fields it asks, its consent texts
-- (versioned) and whether new organizations wait for the operator (JSON).
CREATE TABLE signup_forms (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	program_id TEXT NOT NULL,
	config TEXT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id)
);

-- One registration: who registered through which program's form, the
-- consents given (key and version) and the custom answers (JSON). key is
-- the normalized phone or e-mail: the first registration with it creates
-- the member, later ones link to it.
CREATE TABLE signups (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	consents TEXT NOT NULL,
	answers TEXT NOT NULL,
	address TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX signups_member ON signups (tenant_id, member_id);
CREATE TABLE signup_keys (
	tenant_id TEXT NOT NULL REFERENCES tenants (id),
	contact TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (tenant_id, contact)
);

-- A referral link (/r/CODE) names no workspace: its code finds it.
CREATE INDEX referral_codes_code ON referral_codes (code);
