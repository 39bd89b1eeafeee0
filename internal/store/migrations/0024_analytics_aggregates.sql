-- Analytics aggregates, maintained in the transaction that writes what they
-- summarize, so that every report reads them instead of all history.
--
-- analytics_org_facts packs an organization's sales facts of one UTC year
-- into one text row: "<ms>,<amount>,<cost>;" per purchase and
-- "<ms>,R<amount>,<cost>;" per return, numbers in base 36 (lowercase digits), appended in
-- the order they are written (readers sort by time). A report reads one
-- row per organization and year instead of one row per fact. The
-- sales-fact hook appends with a single upsert (no read, a lock on the
-- organization's row only); `loyal analytics rebuild` and the generator
-- fill it for history written before.
CREATE TABLE analytics_org_facts (
	tenant_id TEXT NOT NULL,
	organization_id TEXT NOT NULL,
	year BIGINT NOT NULL,
	facts TEXT NOT NULL,
	PRIMARY KEY (tenant_id, organization_id, year)
);

-- analytics_ledger_days sums the postings of every system account per UTC
-- day of the transaction's effective time. Each day has 16 slots chosen
-- by the transaction id, so that concurrent earns on PostgreSQL do not
-- queue on one row: a day's total is the sum of its slots.
CREATE TABLE analytics_ledger_days (
	tenant_id TEXT NOT NULL,
	account_id TEXT NOT NULL,
	day BIGINT NOT NULL,
	slot BIGINT NOT NULL,
	amount BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, account_id, day, slot)
);

-- analytics_wallet_activity is the latest effective time of an earn or a
-- spend on each wallet (the greatest: history written out of order
-- cannot lower it).
CREATE TABLE analytics_wallet_activity (
	tenant_id TEXT NOT NULL,
	account_id TEXT NOT NULL,
	last_ms BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, account_id)
);

-- History written before: ledger aggregates in SQL; the packed facts by
-- `loyal analytics rebuild` (text packing is not portable SQL).
INSERT INTO analytics_ledger_days (tenant_id, account_id, day, slot, amount)
	SELECT p.tenant_id, p.account_id, x.effective_ms / 86400000, 0, SUM(p.amount)
	FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
	JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id AND a.owner_type = 'system'
	GROUP BY p.tenant_id, p.account_id, x.effective_ms / 86400000;
INSERT INTO analytics_wallet_activity (tenant_id, account_id, last_ms)
	SELECT p.tenant_id, p.account_id, MAX(x.effective_ms)
	FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
	JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id AND a.owner_type IN ('organization', 'member')
	WHERE x.kind IN ('earn', 'spend')
	GROUP BY p.tenant_id, p.account_id;

-- Tenants whose packed facts `loyal analytics rebuild` (or the daily job)
-- has yet to build: their reports read the facts themselves until then.
CREATE TABLE analytics_pack_pending (
	tenant_id TEXT NOT NULL PRIMARY KEY
);
INSERT INTO analytics_pack_pending (tenant_id) SELECT DISTINCT tenant_id FROM sales_facts;
