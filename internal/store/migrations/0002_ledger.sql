-- The points ledger: point types, accounts, transactions, postings, lots.
--
-- Double entry: every transaction's postings sum to zero per point type.
-- Wallet accounts (of organizations and members) cache their balance in two
-- buckets, available and pending; system accounts (issuance, redemption,
-- breakage, adjustment, settlement) cache nothing, so that no write ever
-- waits on a shared row: their balance is summed from postings on demand.
-- Every reduction of a lot is a lot use (negative for a restoration), so a
-- lot's remaining always equals its amount minus its uses.
--
-- Write speed shapes the indexes: an earn writes a transaction, two
-- postings and a lot, so each index on those tables is paid on every earn.
-- A transaction's id derives from its idempotency key (no separate unique
-- index), and it carries its postings, new lots and lot uses as JSON
-- ("legs"), so postings and uses need no index by transaction; postings are
-- indexed by account for statements; lots are indexed for spending, and
-- only the lots that can expire or are pending are indexed for the jobs.

CREATE TABLE point_types (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	program_id TEXT NOT NULL,
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	unit TEXT NOT NULL,
	currency TEXT NOT NULL,
	value_num BIGINT NOT NULL,
	value_den BIGINT NOT NULL,
	rounding TEXT NOT NULL,
	negative_limit BIGINT NOT NULL,
	expiry TEXT NOT NULL,
	pending_days BIGINT NOT NULL,
	transfers TEXT NOT NULL,
	approval_above BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, program_id) REFERENCES programs (tenant_id, id)
);
CREATE UNIQUE INDEX point_types_code ON point_types (tenant_id, program_id, code);

CREATE TABLE ledger_accounts (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	point_type_id TEXT NOT NULL,
	owner_type TEXT NOT NULL,
	owner_id TEXT NOT NULL,
	available BIGINT NOT NULL,
	pending BIGINT NOT NULL,
	seq BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id),
	FOREIGN KEY (tenant_id, point_type_id) REFERENCES point_types (tenant_id, id)
);
-- An account's id derives from (point type, owner type, owner id), which
-- makes it unique per owner and point type without another index.
CREATE INDEX ledger_accounts_by_owner ON ledger_accounts (tenant_id, owner_type, owner_id);

CREATE TABLE ledger_txs (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	kind TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	effective_ms BIGINT NOT NULL,
	created_ms BIGINT NOT NULL,
	actor_type TEXT NOT NULL,
	actor_id TEXT NOT NULL,
	staff_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	rule_id TEXT NOT NULL,
	reason TEXT NOT NULL,
	reverses_id TEXT NOT NULL,
	reversed_by TEXT NOT NULL,
	legs TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);

CREATE TABLE ledger_postings (
	tenant_id TEXT NOT NULL,
	tx_id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	account_id TEXT NOT NULL,
	point_type_id TEXT NOT NULL,
	bucket TEXT NOT NULL,
	amount BIGINT NOT NULL,
	lot_id TEXT NOT NULL,
	account_seq BIGINT,
	available_after BIGINT,
	pending_after BIGINT
);
CREATE INDEX ledger_postings_account ON ledger_postings (tenant_id, account_id, account_seq);

CREATE TABLE ledger_lots (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	account_id TEXT NOT NULL,
	tx_id TEXT NOT NULL,
	amount BIGINT NOT NULL,
	remaining BIGINT NOT NULL,
	state TEXT NOT NULL,
	earned_ms BIGINT NOT NULL,
	available_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ledger_lots_spend ON ledger_lots (tenant_id, account_id, state, expires_ms);
CREATE INDEX ledger_lots_expiry ON ledger_lots (tenant_id, expires_ms) WHERE state = 'available' AND expires_ms < 253402300799999;
CREATE INDEX ledger_lots_activation ON ledger_lots (tenant_id, available_ms) WHERE state = 'pending';

CREATE TABLE ledger_lot_uses (
	tenant_id TEXT NOT NULL,
	tx_id TEXT NOT NULL,
	lot_id TEXT NOT NULL,
	amount BIGINT NOT NULL
);

-- Manual adjustments above a point type's threshold wait here for a second
-- staff member's approval before they post.
CREATE TABLE ledger_adjustments (
	tenant_id TEXT NOT NULL,
	id TEXT NOT NULL,
	account_id TEXT NOT NULL,
	amount BIGINT NOT NULL,
	reason TEXT NOT NULL,
	expires_ms BIGINT NOT NULL,
	status TEXT NOT NULL,
	requested_by TEXT NOT NULL,
	requested_ms BIGINT NOT NULL,
	decided_by TEXT NOT NULL,
	decided_ms BIGINT NOT NULL,
	decision_note TEXT NOT NULL,
	tx_id TEXT NOT NULL,
	PRIMARY KEY (tenant_id, id)
);
CREATE INDEX ledger_adjustments_status ON ledger_adjustments (tenant_id, status, id);
