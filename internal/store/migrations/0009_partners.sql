-- Coalition partners: companies that issue the operator's points for
-- purchases at their outlets (and pay the operator per point issued) and
-- accept points in payment (and are paid per point redeemed).
--
-- Prices are integer minor currency units per 100 points, so that
-- fractions of a cent per point stay exact; money owed is rounded once per
-- month (half up) by the settlement report.

-- A partner's API key: the key may only act as that partner.
ALTER TABLE api_keys ADD COLUMN partner_id TEXT;

CREATE TABLE partners (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	program_id TEXT NOT NULL,
	point_type_id TEXT NOT NULL,
	issue_price BIGINT NOT NULL,
	redeem_price BIGINT NOT NULL,
	currency TEXT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, point_type_id) REFERENCES point_types (tenant_id, id)
);

-- A member's consent to a partner: only opted-in members get points from
-- the partner's events. Withdrawal keeps the row (status revoked).
CREATE TABLE partner_optins (
	tenant_id TEXT NOT NULL,
	partner_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	status TEXT NOT NULL,
	opted_in_ms BIGINT NOT NULL,
	revoked_ms BIGINT,
	PRIMARY KEY (tenant_id, partner_id, member_id),
	FOREIGN KEY (tenant_id, partner_id) REFERENCES partners (tenant_id, id)
);

-- Points issued through a partner's events (written with the event, in its
-- transaction), by the event's time: what the partner pays for.
CREATE TABLE partner_issues (
	tenant_id TEXT NOT NULL,
	partner_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	points BIGINT NOT NULL,
	occurred_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, partner_id, event_id)
);
CREATE INDEX partner_issues_time ON partner_issues (tenant_id, partner_id, occurred_ms);

-- Points members paid with at a partner: what the operator pays for. The
-- partner's reference is unique per partner (the idempotency key).
CREATE TABLE partner_redemptions (
	tenant_id TEXT NOT NULL,
	partner_id TEXT NOT NULL,
	reference TEXT NOT NULL,
	id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	points BIGINT NOT NULL,
	ledger_tx_id TEXT NOT NULL,
	created_by TEXT NOT NULL,
	redeemed_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, partner_id, reference)
);
CREATE INDEX partner_redemptions_time ON partner_redemptions (tenant_id, partner_id, redeemed_ms);
