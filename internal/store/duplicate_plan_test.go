package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestDuplicateCheckUsesTheUniqueIndexOnFreshTables: on a fresh database,
// before any ANALYZE, PostgreSQL looks an event up by (tenant, source,
// external id) through the unique index, empty and with a thousand events
// of the tenant stored, instead of scanning the tenant's events through
// another index that leads with tenant_id.
func TestDuplicateCheckUsesTheUniqueIndexOnFreshTables(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	check := func(when string) {
		p := explain(t, db, `SELECT * FROM events WHERE tenant_id = 't' AND source = 'erp' AND external_id = 'INV-7'`)
		if !strings.Contains(p, "events_external") || strings.Contains(p, "Filter") {
			t.Fatalf("%s: the duplicate check does not use the unique index alone:\n%s", when, p)
		}
	}
	check("empty table")
	err := db.Exec(ctx, `INSERT INTO events (tenant_id, id, source, external_id, type, organization_id, occurred_ms, hash, body, results, created_ms)
		SELECT 't', 'e' || g, 'erp', 'INV-' || g, 'invoice', 'o' || (g % 50), g, 'h', '{}', '[]', g FROM generate_series(1, 1000) g`)
	if err != nil {
		t.Fatal(err)
	}
	check("1,000 events, no statistics")
}
