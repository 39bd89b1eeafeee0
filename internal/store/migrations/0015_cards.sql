-- Participants' cards and their passes in Apple Wallet and Google Wallet.

-- One card per (member or organization, program). number is what a till
-- scans, serial names the card's wallet passes. shown is the card's state
-- (JSON) as the wallets last received it and shown_before the one before
-- (the change messages compare them); shown_ms is when it last changed.
CREATE TABLE cards (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	number TEXT NOT NULL,
	serial TEXT NOT NULL,
	status TEXT NOT NULL,
	shown TEXT NOT NULL DEFAULT '',
	shown_before TEXT NOT NULL DEFAULT '',
	shown_ms BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id),
	FOREIGN KEY (tenant_id, organization_id) REFERENCES organizations (tenant_id, id)
);
CREATE UNIQUE INDEX cards_owner ON cards (tenant_id, program_id, owner_type, owner_id);
CREATE UNIQUE INDEX cards_number ON cards (tenant_id, number);
CREATE UNIQUE INDEX cards_serial ON cards (tenant_id, serial);
CREATE INDEX cards_by_owner ON cards (tenant_id, owner_type, owner_id);
CREATE INDEX cards_by_organization ON cards (tenant_id, organization_id);

-- Which cards changed since a time is read from the rows the ledger, the
-- engine and coupons already stamp: these indexes keep that read to the
-- rows that changed.
CREATE INDEX ledger_accounts_updated ON ledger_accounts (tenant_id, updated_ms);
CREATE INDEX program_states_updated ON program_states (tenant_id, updated_ms);
CREATE INDEX coupons_updated ON coupons (tenant_id, updated_ms);

-- The authentication tokens of a card's Apple passes, hashed: every copy
-- downloaded carries its own.
CREATE TABLE card_pass_tokens (
	tenant_id TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	card_id TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, token_hash),
	FOREIGN KEY (tenant_id, card_id) REFERENCES cards (tenant_id, id)
);

-- A program's card design: colours, title, fields shown (JSON) and its
-- logo (PNG bytes, base64 in TEXT: one portable column type).
CREATE TABLE card_designs (
	tenant_id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	design TEXT NOT NULL,
	logo TEXT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, program_id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);

-- Apple devices registered for a card's pass updates (Apple's pass web
-- service): the device's push token, per device and card.
CREATE TABLE wallet_registrations (
	tenant_id TEXT NOT NULL,
	device_id TEXT NOT NULL,
	card_id TEXT NOT NULL,
	push_token TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, device_id, card_id),
	FOREIGN KEY (tenant_id, card_id) REFERENCES cards (tenant_id, id)
);
CREATE INDEX wallet_registrations_card ON wallet_registrations (tenant_id, card_id);

-- Passes added to and removed from wallets, counted per program.
CREATE TABLE wallet_installs (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	card_id TEXT NOT NULL,
	wallet TEXT NOT NULL,
	action TEXT NOT NULL,
	at_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX wallet_installs_program ON wallet_installs (tenant_id, program_id, wallet, action);

-- How far the wallet job has looked for changed cards, per tenant.
CREATE TABLE wallet_marks (
	tenant_id TEXT NOT NULL,
	mark_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id)
);
