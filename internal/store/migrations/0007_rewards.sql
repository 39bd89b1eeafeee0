-- The rewards catalog and its redemptions: items priced in points, stock,
-- per-period limits counted per member and per organization, redemptions
-- with their approval steps, and each tenant's approval settings.

CREATE TABLE reward_items (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	subkind TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT NOT NULL,
	point_type_id TEXT NOT NULL,
	price BIGINT NOT NULL,
	tier_prices TEXT NOT NULL,
	role_prices TEXT NOT NULL,
	-- NULL: unlimited. Redemptions take stock with a conditional UPDATE.
	stock BIGINT,
	available_from_ms BIGINT,
	available_until_ms BIGINT,
	member_limit TEXT NOT NULL,
	org_limit TEXT NOT NULL,
	audience TEXT NOT NULL,
	money_value BIGINT NOT NULL,
	needs_management BIGINT NOT NULL,
	status TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

-- How many units of an item a member or an organization redeemed in a
-- period ("2026-03", "2026-Q1", "2026", "ever"). A redemption adds to the
-- counter with a conditional upsert, so concurrent requests cannot pass
-- the limit together; a rejection or cancellation takes its units back.
CREATE TABLE reward_usage (
	tenant_id TEXT NOT NULL,
	item_id TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	period TEXT NOT NULL,
	quantity BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, item_id, owner_type, owner_id, period)
);

CREATE TABLE redemptions (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	item_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	member_id TEXT,
	quantity BIGINT NOT NULL,
	unit_price BIGINT NOT NULL,
	points BIGINT NOT NULL,
	price_basis TEXT NOT NULL,
	point_type_id TEXT NOT NULL,
	money_value BIGINT NOT NULL,
	status TEXT NOT NULL,
	ledger_tx_id TEXT NOT NULL,
	return_tx_id TEXT NOT NULL,
	voucher_code TEXT NOT NULL,
	usage TEXT NOT NULL,
	steps TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, item_id) REFERENCES reward_items (tenant_id, id)
);
CREATE INDEX redemptions_organization ON redemptions (tenant_id, organization_id, id);
CREATE INDEX redemptions_status ON redemptions (tenant_id, status, id);

CREATE TABLE reward_settings (
	tenant_id TEXT NOT NULL,
	-- Redemptions whose money value exceeds it wait for the operator
	-- (NULL: never).
	approval_threshold BIGINT,
	employee_needs_management BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id)
);
