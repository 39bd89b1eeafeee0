-- Sales claims (a partner's employee reports a sale with its document; the
-- operator approves or rejects it) and referrals (codes, who referred
-- whom, per-program rewards), with their per-program settings.

CREATE TABLE claim_settings (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	window_days BIGINT NOT NULL,
	enabled BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- A claim; invoice_key is the normalized invoice number. A rejected claim
-- frees its invoice number and document for a corrected claim, hence the
-- partial unique indexes, which refuse concurrent duplicates exactly once.
CREATE TABLE claims (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	invoice_number TEXT NOT NULL,
	invoice_key TEXT NOT NULL,
	invoice_date TEXT NOT NULL,
	end_customer TEXT NOT NULL,
	currency TEXT NOT NULL,
	lines TEXT NOT NULL,
	amount BIGINT NOT NULL,
	doc_sha256 TEXT NOT NULL,
	doc_filename TEXT NOT NULL,
	doc_content_type TEXT NOT NULL,
	doc_size BIGINT NOT NULL,
	status TEXT NOT NULL,
	reason TEXT NOT NULL,
	event_id TEXT NOT NULL,
	points BIGINT NOT NULL,
	results TEXT NOT NULL,
	decided_by TEXT NOT NULL,
	decided_ms BIGINT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);
CREATE UNIQUE INDEX claims_invoice ON claims (tenant_id, organization_id, invoice_key) WHERE status <> 'rejected';
CREATE UNIQUE INDEX claims_document ON claims (tenant_id, doc_sha256) WHERE status <> 'rejected';
CREATE INDEX claims_organization ON claims (tenant_id, organization_id, id);

-- The document's bytes, base64 in TEXT: one portable column type on both
-- engines, kept apart from claims so that lists do not read it.
CREATE TABLE claim_documents (
	tenant_id TEXT NOT NULL,
	claim_id TEXT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (tenant_id, claim_id),
	FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id)
);

CREATE TABLE referral_settings (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	referrer_points BIGINT NOT NULL,
	referred_points BIGINT NOT NULL,
	min_first_purchase BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- One code per organization or member; the code is unique per tenant.
CREATE TABLE referral_codes (
	tenant_id TEXT NOT NULL,
	code TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, code)
);
CREATE UNIQUE INDEX referral_codes_owner ON referral_codes (tenant_id, owner_type, owner_id);

-- An organization is referred at most once.
CREATE TABLE referrals (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	code TEXT NOT NULL,
	referrer_type TEXT NOT NULL,
	referrer_id TEXT NOT NULL,
	referrer_org_id TEXT NOT NULL,
	referred_org_id TEXT NOT NULL,
	status TEXT NOT NULL,
	program_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	referrer_points BIGINT NOT NULL,
	referred_points BIGINT NOT NULL,
	qualified_ms BIGINT,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX referrals_referred ON referrals (tenant_id, referred_org_id);
CREATE INDEX referrals_referrer ON referrals (tenant_id, referrer_org_id, id);
