package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestLookupsByKeyWhateverTheStatistics: on PostgreSQL, transactions (an
// earn's idempotency check, a joined batch's, a reversal's lock) and an
// event batch's duplicates are looked up by their keys' index even for a
// tenant the statistics do not know yet, grown since the last ANALYZE,
// for which a custom plan reads every row of the tenant through another
// index that leads with tenant_id. The rows read are counted in the
// transaction's own statistics.
func TestLookupsByKeyWhateverTheStatistics(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	insert := func(tenant string) {
		t.Helper()
		for _, q := range []string{
			`INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type, actor_id,
				staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs, reference)
				SELECT $1, $1 || '-' || g, 'earn', 'k' || g, 'h', g, g, 'api_key', 'k', '', '', '', '', '', '', '{}', '' FROM generate_series(1, 5000) g`,
			`INSERT INTO events (tenant_id, id, source, external_id, type, organization_id, occurred_ms, hash, body, results, created_ms)
				SELECT $1, $1 || '-' || lpad(g::text, 5, '0'), 'erp', 'INV-' || g, 'invoice', 'o' || (g % 50), g, 'h', '{}', '[]', g
				FROM generate_series(1, 5000) g`,
		} {
			if err := db.Exec(ctx, q, tenant); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert("old")
	if err := db.Exec(ctx, `ANALYZE ledger_txs, events`); err != nil { // only this schema's tables: see TestSetStatementsProbeTheirKeys
		t.Fatal(err)
	}
	insert("new")
	err := db.Write(ctx, func(tx *store.Tx) error {
		trap := rowsRead(t, tx, "ledger_txs", `SELECT id FROM ledger_txs WHERE tenant_id = $1 AND id = $2`, "new", "new-x") +
			rowsRead(t, tx, "events", store.EventsByKey, "new", `[["erp","INV-x"]]`)
		if trap < 2*5000 {
			t.Fatalf("the custom plans read %d rows: the statistics no longer mislead them, and this test shows nothing", trap)
		}
		n := rowsRead(t, tx, "ledger_txs", "") + rowsRead(t, tx, "events", "")
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
		got, err := tx.EventsByExternal(ctx, "new", []events.ExternalKey{{Source: "erp", ExternalID: "INV-x"}, {Source: "erp", ExternalID: "INV-12"}})
		if err != nil || len(got) != 1 || got[0].ID != "new-00012" {
			t.Fatalf("events found: %+v %v", got, err)
		}
		if read := rowsRead(t, tx, "ledger_txs", "") + rowsRead(t, tx, "events", "") - n; read > 20 {
			t.Fatalf("looking up 5 transactions and 2 events by key read %d rows", read)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rowsRead runs query, if any, and returns how many rows of table the
// transaction has read so far.
func rowsRead(t *testing.T, tx *store.Tx, table, query string, args ...any) int64 {
	t.Helper()
	ctx := context.Background()
	if query != "" {
		if _, err := tx.Records(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	rs, err := tx.Records(ctx, `SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) AS n FROM pg_stat_xact_user_tables
		WHERE relname = $1 AND schemaname = current_schema()`, table)
	if err != nil || len(rs) != 1 {
		t.Fatalf("transaction statistics of %s: %v %v", table, rs, err)
	}
	n, ok := rs[0]["n"].(int64)
	if !ok {
		t.Fatalf("transaction statistics of %s: %#v", table, rs[0])
	}
	return n
}
