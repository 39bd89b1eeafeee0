-- A transaction's reference: the caller's own text for a manual earn,
-- spend or clawback (an invoice number, a ticket), kept apart from
-- event_id, which names only events this system ingested.
ALTER TABLE ledger_txs ADD COLUMN reference TEXT NOT NULL DEFAULT '';
