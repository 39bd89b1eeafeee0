-- Promo codes: campaigns (one shared code or batches of unique codes),
-- their codes, per-organization usage counters and redemptions. Usage
-- and budget are counters on the campaign row, moved by conditional
-- UPDATEs so that concurrent orders cannot overspend a limit.

CREATE TABLE promo_campaigns (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	program_id TEXT,
	kind TEXT NOT NULL,
	code TEXT NOT NULL,
	status TEXT NOT NULL,
	starts_ms BIGINT NOT NULL,
	ends_ms BIGINT,
	min_order BIGINT NOT NULL,
	scope TEXT NOT NULL,
	effect TEXT NOT NULL,
	total_limit BIGINT NOT NULL,
	per_org_limit BIGINT NOT NULL,
	exclusive BIGINT NOT NULL,
	stack_group TEXT NOT NULL,
	budget BIGINT NOT NULL,
	used BIGINT NOT NULL,
	budget_used BIGINT NOT NULL,
	codes BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- Every code of a tenant, normalized (upper case, no spaces or dashes):
-- unique across campaigns. A unique code is redeemed once.
CREATE TABLE promo_codes (
	tenant_id TEXT NOT NULL,
	code TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	redeemed_ms BIGINT,
	redeemed_event TEXT,
	redeemed_org TEXT,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, code),
	FOREIGN KEY (tenant_id, campaign_id) REFERENCES promo_campaigns (tenant_id, id)
);
CREATE INDEX promo_codes_campaign ON promo_codes (tenant_id, campaign_id, code);

-- How many times each organization used a campaign.
CREATE TABLE promo_org_usage (
	tenant_id TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	used BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, campaign_id, organization_id)
);

-- One row per code redeemed by an order: the discount it gave or the
-- points it credited. An event redeems a code at most once.
CREATE TABLE promo_redemptions (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	campaign_id TEXT NOT NULL,
	code TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	discount BIGINT NOT NULL,
	points BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX promo_redemptions_event ON promo_redemptions (tenant_id, event_id, code);
CREATE INDEX promo_redemptions_campaign ON promo_redemptions (tenant_id, campaign_id, id);
