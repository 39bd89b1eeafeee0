package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestLookupByKeyReturnsToTheKeyOnceAnalyzed: PostgreSQL plans a prepared
// statement once for all after five runs (a generic plan). Planned on a
// fresh, nearly empty table, a lookup by primary key costs the same to it
// through any index that leads with tenant_id, and it could keep
// ledger_txs_time: every later lookup read all of the tenant's
// transactions (7.5 ms at 20,000 — the idempotency check of every earn).
// Statistics end that: after the ANALYZE the store runs on young tables
// (TestYoungTablesAreAnalyzed), the same connection's lookups use the key.
// Counted by PostgreSQL's statistics of the transaction.
func TestLookupByKeyReturnsToTheKeyOnceAnalyzed(t *testing.T) {
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
		if err := tx.Run(ctx, `ANALYZE ledger_txs`); err != nil {
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

// TestYoungTablesAreAnalyzed: on PostgreSQL the store gathers statistics
// of a table never analyzed as soon as it holds rows, without waiting for
// autovacuum; a table still (nearly) empty is left alone.
func TestYoungTablesAreAnalyzed(t *testing.T) {
	db := storetest.OpenWith(t, store.Postgres, store.Options{AnalyzeEvery: 20 * time.Millisecond})
	tenant := newTenant(t, db, "young")
	ctx := context.Background()
	err := db.Exec(ctx, `INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type,
		actor_id, staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs)
		SELECT $1, 'tx-' || g, 'earn', 'k-' || g, 'h', g, g, 'api_key', 'k', '', '', '', '', '', '', '{}' FROM generate_series(1, 200) g`, tenant)
	if err != nil {
		t.Fatal(err)
	}
	analyzed := func(table string) bool {
		recs, err := db.Rows(ctx, `SELECT last_analyze IS NOT NULL AS done FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1`, table)
		if err != nil {
			t.Fatal(err)
		}
		return len(recs) == 1 && recs[0]["done"] == true
	}
	deadline := time.Now().Add(30 * time.Second)
	for !analyzed("ledger_txs") {
		if time.Now().After(deadline) {
			t.Fatal("ledger_txs, 200 rows, was not analyzed within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if analyzed("ledger_lots") {
		t.Error("the empty ledger_lots was analyzed")
	}
}
