package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestTxLookupsByKeyWhateverTheStatistics: on PostgreSQL a transaction is
// looked up by its primary key (an earn's idempotency check, a joined
// batch's, a reversal's lock) even for a tenant the statistics do not know
// yet, grown since the last ANALYZE, for which a custom plan reads every
// transaction of the tenant through the time index. The rows read are
// counted in the transaction's own statistics.
func TestTxLookupsByKeyWhateverTheStatistics(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	insert := func(tenant string) {
		t.Helper()
		err := db.Exec(ctx, `INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type, actor_id,
			staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs, reference)
			SELECT $1, $1 || '-' || g, 'earn', 'k' || g, 'h', g, g, 'api_key', 'k', '', '', '', '', '', '', '{"p":[]}', '' FROM generate_series(1, 5000) g`, tenant)
		if err != nil {
			t.Fatal(err)
		}
	}
	insert("old")
	if err := db.Exec(ctx, `ANALYZE ledger_txs`); err != nil { // only this schema's table: see TestSetStatementsProbeTheirKeys
		t.Fatal(err)
	}
	insert("new")
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Records(ctx, `SELECT id FROM ledger_txs WHERE tenant_id = $1 AND id = $2`, "new", "new-x"); err != nil {
			return err
		}
		trap := rowsRead(t, tx)
		if trap < 5000 {
			t.Fatalf("the custom plan read %d rows: the statistics no longer mislead it, and this test shows nothing", trap)
		}
		if _, err := tx.GetTx(ctx, "new", "new-x"); err == nil {
			t.Fatal("found a transaction that does not exist")
		}
		if _, err := tx.LockTx(ctx, "new", "new-y"); err == nil {
			t.Fatal("locked a transaction that does not exist")
		}
		taken, err := tx.TxIDsTaken(ctx, "new", []string{"new-x", "new-7", "new-4999"})
		if err != nil || fmt.Sprint(taken) != "[new-7 new-4999]" {
			t.Fatalf("ids taken: %v %v", taken, err)
		}
		if n := rowsRead(t, tx) - trap; n > 10 {
			t.Fatalf("looking up 5 transactions by key read %d rows of ledger_txs", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rowsRead is how many rows of ledger_txs the transaction has read so far.
func rowsRead(t *testing.T, tx *store.Tx) int64 {
	t.Helper()
	rs, err := tx.Records(context.Background(), `SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) AS n FROM pg_stat_xact_user_tables
		WHERE relname = 'ledger_txs' AND schemaname = current_schema()`)
	if err != nil || len(rs) != 1 {
		t.Fatalf("transaction statistics: %v %v", rs, err)
	}
	n, ok := rs[0]["n"].(int64)
	if !ok {
		t.Fatalf("transaction statistics: %#v", rs[0])
	}
	return n
}
