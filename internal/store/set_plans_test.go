package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestSetStatementsProbeTheirKeys: PostgreSQL reads the rows of a set of
// keys (an event batch's duplicate check, its program states and wallets,
// a joined earn's ids) by an index probe per key, on empty tables, with
// 20,000 rows of the tenant and no statistics, and with statistics, never
// by reading the tenant's rows (joined as a set, it hashed them all). The
// set updates follow the statistics (on a small table a scan is as cheap)
// and find their rows by index once the table is large.
func TestSetStatementsProbeTheirKeys(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	statements := []struct {
		table, query, set string
	}{
		{"events", store.EventsByKey, `[["erp","INV-7"],["erp","INV-8"]]`},
		{"program_states", store.StatesByKey, `[["p","organization","o7"],["p","organization","o8"]]`},
		{"program_states", store.LockedStatesByKey, `[["p","organization","o7"],["p","organization","o8"]]`},
		{"ledger_accounts", store.KeyedOnPostgres("ledger_accounts", "id, available", "id", true), `["a7","a8"]`},
		{"ledger_txs", store.KeyedOnPostgres("ledger_txs", "id", "id", false), `["x7","x8"]`},
	}
	updates := []struct {
		table, query, set string
	}{
		{"ledger_accounts", store.SetAccounts, `[["a7",1,0,1,5],["a8",2,0,1,5]]`},
		{"ledger_lots", `UPDATE ledger_lots SET state = 'expired' WHERE tenant_id = $1 AND id ` + store.InSetOnPostgres(2), `["l7","l8"]`},
	}
	check := func(when string) {
		t.Helper()
		for _, s := range statements {
			planProbes(t, db, when, s.table, s.query, s.set)
		}
	}
	check("empty tables")
	for _, q := range []string{
		`INSERT INTO events (tenant_id, id, source, external_id, type, organization_id, occurred_ms, hash, body, results, created_ms)
			SELECT 't', 'e' || g, 'erp', 'INV-' || g, 'invoice', 'o' || (g % 50), g, 'h', '{}', '[]', g FROM generate_series(1, 20000) g`,
		`INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, updated_ms)
			SELECT 't', 'p', 'organization', 'o' || g, '{}', NULL, g FROM generate_series(1, 20000) g`,
		`ALTER TABLE ledger_accounts DISABLE TRIGGER ALL`, // no point type to refer to: the plans are what is tested
		`INSERT INTO ledger_accounts (tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms)
			SELECT 't', 'a' || g, 'pt', 'organization', 'o' || g, 0, 0, 0, 0, g FROM generate_series(1, 20000) g`,
		`INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type, actor_id,
			staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs, reference)
			SELECT 't', 'x' || g, 'earn', 'k' || g, 'h', g, g, 'api_key', 'k', '', '', '', '', '', '', '{}', '' FROM generate_series(1, 20000) g`,
		`INSERT INTO ledger_lots (tenant_id, id, account_id, tx_id, amount, remaining, state, earned_ms, available_ms, expires_ms)
			SELECT 't', 'l' || g, 'a' || g, 'x' || g, 5, 5, 'available', g, g, 253402300799999 FROM generate_series(1, 20000) g`,
	} {
		if err := db.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	check("20,000 rows of the tenant, no statistics")
	// Only this schema's tables: a bare ANALYZE takes its lock on every
	// table of the database in turn, and deadlocked with another package's
	// test restoring a backup into its own schema at the same moment.
	if err := db.Exec(ctx, `ANALYZE events, program_states, ledger_accounts, ledger_txs, ledger_lots`); err != nil {
		t.Fatal(err)
	}
	check("20,000 rows of the tenant, with statistics")
	for _, s := range updates {
		planProbes(t, db, "20,000 rows of the tenant, with statistics", s.table, s.query, s.set)
	}
}

// planProbes fails the test unless PostgreSQL's plan of query (tenant
// "t", the set) finds its rows of table by index alone.
func planProbes(t *testing.T, db *store.DB, when, table, query, set string) {
	t.Helper()
	p := explain(t, db, query, "t", set)
	if !strings.Contains(p, "Index Scan using ") && !strings.Contains(p, "Index Only Scan using ") ||
		strings.Contains(p, "Seq Scan on "+table) || strings.Contains(p, "Bitmap Heap Scan on "+table) {
		t.Errorf("%s: %s does not find its rows of %s by index:\n%s", when, squeezed(query), table, p)
	}
}

// explain is PostgreSQL's plan of query.
func explain(t *testing.T, db *store.DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.Rows(context.Background(), "EXPLAIN "+query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintln(&b, r["QUERY PLAN"])
	}
	return b.String()
}

// squeezed is the start of a statement on one line.
func squeezed(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	return q[:min(80, len(q))]
}
