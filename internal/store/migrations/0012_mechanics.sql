-- Mechanics the program format gained: coupons that programs grant
-- (entitlements with a validity, used once by an order).

-- Coupons issued to organizations and their members. benefit is the
-- program's coupon definition (JSON) copied at issue, NULL for a grant
-- staff use by hand. used_event is the order that used it.
CREATE TABLE coupons (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	grant_type TEXT NOT NULL,
	template_id TEXT NOT NULL,
	name TEXT NOT NULL,
	benefit TEXT,
	status TEXT NOT NULL,
	reason TEXT NOT NULL,
	source_event TEXT NOT NULL,
	issued_ms BIGINT NOT NULL,
	expires_ms BIGINT,
	used_event TEXT,
	used_ms BIGINT,
	discount BIGINT NOT NULL,
	restored BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);
CREATE INDEX coupons_organization ON coupons (tenant_id, organization_id, issued_ms, id);
CREATE INDEX coupons_used_event ON coupons (tenant_id, used_event);
CREATE INDEX coupons_expiry ON coupons (tenant_id, status, expires_ms);

-- Personal promo-code campaigns: when they issue codes (on every purchase
-- or every month), from which pattern, valid how long.
CREATE TABLE promo_issuers (
	tenant_id TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	issue_on TEXT NOT NULL,
	pattern TEXT NOT NULL,
	valid_months BIGINT NOT NULL,
	valid_days BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, campaign_id),
	FOREIGN KEY (tenant_id, campaign_id) REFERENCES promo_campaigns (tenant_id, id)
);

-- The owner and end of each personal code (the code itself is a row of
-- promo_codes). issue_key makes issuing idempotent: event:<id> or
-- month:<yyyy-mm>:<organization>.
CREATE TABLE personal_codes (
	tenant_id TEXT NOT NULL,
	code TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	expires_ms BIGINT NOT NULL,
	issued_event TEXT,
	issue_key TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, code),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
);
CREATE UNIQUE INDEX personal_codes_key ON personal_codes (tenant_id, campaign_id, issue_key);
