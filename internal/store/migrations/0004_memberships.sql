-- Paid memberships (DOMAIN §3.10): plans sold for a fee and a period, and
-- the periods organizations paid for. A membership is active while one of
-- its periods covers the time; benefits apply only then.

CREATE TABLE membership_plans (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL,
	fee BIGINT NOT NULL,
	currency TEXT NOT NULL,
	period_months BIGINT NOT NULL,
	discount_bp BIGINT NOT NULL,
	earn_multiplier_bp BIGINT NOT NULL,
	perks TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX membership_plans_code ON membership_plans (tenant_id, code);

-- One row per paid period: a purchase or a renewal, recorded with the
-- membership event that brought it.
CREATE TABLE membership_periods (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	plan_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	action TEXT NOT NULL,
	starts_ms BIGINT NOT NULL,
	ends_ms BIGINT NOT NULL,
	fee BIGINT NOT NULL,
	currency TEXT NOT NULL,
	event_id TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, plan_id) REFERENCES membership_plans (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
);
CREATE INDEX membership_periods_org ON membership_periods (tenant_id, organization_id, ends_ms);
CREATE UNIQUE INDEX membership_periods_event ON membership_periods (tenant_id, event_id);
