package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestLookupByKeyStaysOnTheKeyAsATableGrows: PostgreSQL plans a prepared
// statement once for all after five runs (a generic plan). Planned on a
// fresh, nearly empty table, a lookup by primary key costs the same to it
// through any index that leads with tenant_id, and it took ledger_txs_time:
// every later lookup then read all of the tenant's transactions (7.5 ms at
// 20,000 — the idempotency check of every earn). The store's connections
// plan each run with its arguments and the table's size, so the lookup
// stays on the key. Counted by PostgreSQL's statistics of the transaction.
func TestLookupByKeyStaysOnTheKeyAsATableGrows(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	tenant := newTenant(t, db, "plans")
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		lookups := func() error {
			for i := range 10 {
				if _, err := tx.GetTx(ctx, tenant, fmt.Sprint("absent-", i)); !errs.Is(err, errs.NotFound) {
					return fmt.Errorf("lookup of an absent transaction: %v", err)
				}
			}
			return nil
		}
		if err := lookups(); err != nil { // planned on an empty table
			return err
		}
		err := tx.Run(ctx, `INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type,
			actor_id, staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs)
			SELECT $1, 'tx-' || g, 'earn', 'k-' || g, 'h', g, g, 'api_key', 'k', '', '', '', '', '', '', '{}' FROM generate_series(1, 5000) g`, tenant)
		if err != nil {
			return err
		}
		before, err := indexScans(ctx, tx)
		if err != nil {
			return err
		}
		if err := lookups(); err != nil {
			return err
		}
		after, err := indexScans(ctx, tx)
		if err != nil {
			return err
		}
		if got := after["ledger_txs_pkey"] - before["ledger_txs_pkey"]; got != 10 || after["ledger_txs_time"] != before["ledger_txs_time"] {
			return fmt.Errorf("10 lookups by key on 5,000 transactions used the key %d times and the time index %d times",
				got, after["ledger_txs_time"]-before["ledger_txs_time"])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// indexScans counts the scans of each index of ledger_txs so far in the
// transaction.
func indexScans(ctx context.Context, tx *store.Tx) (map[string]int64, error) {
	recs, err := tx.Records(ctx, `SELECT c.relname AS name, pg_stat_get_xact_numscans(c.oid) AS scans
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'ledger_txs'::regclass`)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, r := range recs {
		n, _ := r["scans"].(int64)
		out[fmt.Sprint(r["name"])] = n
	}
	return out, nil
}
