package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The migration that fills program_states.enrolled_ms for states written
// before the column reads each state's enrolled_at to the millisecond,
// whatever its offset, and leaves states without one (placeholders, a
// program's own state) NULL. Both engines, each with its own statement.
func TestEnrolledColumnFilledFromStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := newTenant(t, db, "enrolled")
		states := map[string]string{
			"org-a": `{"enrolled_at":"2026-03-01T10:00:00.123Z","months":{"2026-03":{"purchases":5}}}`,
			"org-b": `{"enrolled_at":"2026-03-01T12:00:00.999+02:00"}`,
			"org-c": `{"enrolled_at":"2025-12-31T23:59:59Z"}`,
			"org-d": `{}`,
		}
		for owner, state := range states {
			if err := db.Exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, enrolled_ms, updated_ms)
				VALUES ($1, 'p1', 'organization', $2, $3, NULL, NULL, 0)`, tenant, owner, state); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Exec(ctx, `INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, enrolled_ms, updated_ms)
			VALUES ($1, 'p1', 'program', 'p1', '{"budget_used":10}', NULL, NULL, 0)`, tenant); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, fillMigration(t, db.Engine())); err != nil {
			t.Fatal(err)
		}
		rows, err := db.Rows(ctx, `SELECT owner_id, enrolled_ms FROM program_states WHERE tenant_id = $1`, tenant)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"org-a": time.Date(2026, 3, 1, 10, 0, 0, 123e6, time.UTC).UnixMilli(),
			"org-b": time.Date(2026, 3, 1, 10, 0, 0, 999e6, time.UTC).UnixMilli(),
			"org-c": time.Date(2025, 12, 31, 23, 59, 59, 0, time.UTC).UnixMilli(),
			"org-d": nil, "p1": nil,
		}
		if len(rows) != len(want) {
			t.Fatalf("%d states, want %d", len(rows), len(want))
		}
		for _, r := range rows {
			if owner := r["owner_id"].(string); r["enrolled_ms"] != want[owner] {
				t.Errorf("%s: enrolled_ms %v, want %v", owner, r["enrolled_ms"], want[owner])
			}
		}
	})
}

// fillMigration is the statement of the migration that fills enrolled_ms
// on engine e.
func fillMigration(t *testing.T, e store.Engine) string {
	t.Helper()
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Name == "program_states_enrolled_fill" && m.Engine == e {
			return m.SQL
		}
	}
	t.Fatalf("no migration program_states_enrolled_fill for %s", e)
	return ""
}
