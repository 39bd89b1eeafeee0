package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// TestRehearseSeesItsWritesAndKeepsNone: a rehearsal reads back what it
// wrote, and afterwards nothing of it is stored, while writes committed in
// the same SQLite group around it stay.
func TestRehearseSeesItsWritesAndKeepsNone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tid := newTenant(t, db, "rehearse")
		var wg sync.WaitGroup
		errs := make([]error, 20)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					errs[i] = db.Write(ctx, func(tx *store.Tx) error { return tx.InsertAudit(ctx, auditRow(ctx, tid, fmt.Sprint("kept-", i))) })
					return
				}
				errs[i] = db.Rehearse(ctx, func(tx *store.Tx) error {
					if err := tx.InsertAudit(ctx, auditRow(ctx, tid, fmt.Sprint("dry-", i))); err != nil {
						return err
					}
					if n := countIn(t, tx, tid); n < 1 {
						return fmt.Errorf("the rehearsal does not see its own write (%d rows)", n)
					}
					return nil
				})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if n := countAudit(t, db, tid); n != 10 {
			t.Fatalf("%d audit rows stored, want the 10 written for real", n)
		}
	})
}

// TestRehearseReturnsItsError: a failing rehearsal answers its own error.
func TestRehearseReturnsItsError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		want := errors.New("refused")
		if err := db.Rehearse(context.Background(), func(*store.Tx) error { return want }); !errors.Is(err, want) {
			t.Fatalf("got %v, want %v", err, want)
		}
	})
}

// TestReadCannotWrite: a write inside Read fails and leaves nothing, on
// both engines (PostgreSQL: a read-only transaction; SQLite: query_only).
func TestReadCannotWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.InsertTenant(ctx, tenant.Tenant{ID: "t-ro", Slug: "ro", Name: "ro", Status: "active", CreatedAt: time.Now(), UpdatedAt: time.Now()})
		})
		if err == nil {
			t.Fatal("a write inside Read succeeded")
		}
		if err := db.Read(ctx, func(tx *store.Tx) error { _, err := tx.TenantByID(ctx, "t-ro"); return err }); err == nil {
			t.Fatal("the tenant written inside Read was stored")
		}
	})
}

// TestReadIsOneSnapshotOnPostgres: a write committed while a Read runs is
// not seen by the Read's later queries.
func TestReadIsOneSnapshotOnPostgres(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	ctx := context.Background()
	tid := newTenant(t, db, "snap")
	err := db.Read(ctx, func(tx *store.Tx) error {
		before := countIn(t, tx, tid)
		if err := db.Write(ctx, func(w *store.Tx) error { return w.InsertAudit(ctx, auditRow(ctx, tid, "later")) }); err != nil {
			return err
		}
		if after := countIn(t, tx, tid); after != before {
			return fmt.Errorf("the read saw %d rows, then %d", before, after)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countIn(t testing.TB, tx *store.Tx, tid string) int {
	rows, err := tx.ListAudit(context.Background(), tid, audit.Filter{EntityType: "thing"}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		t.Error(err)
	}
	return len(rows)
}
