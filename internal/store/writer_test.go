package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// newTenant creates a tenant to hang rows on.
func newTenant(t testing.TB, db *store.DB, slug string) string {
	t.Helper()
	id := "tenant-" + slug
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		return tx.InsertTenant(context.Background(), tenant.Tenant{ID: id, Slug: slug, Name: slug, Status: "active", CreatedAt: time.Now(), UpdatedAt: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func auditRow(ctx context.Context, tenantID, entity string) audit.Entry {
	e, _ := audit.New(ctx, access.System(tenantID), time.Now(), "test.write", "thing", entity, nil, map[string]string{"x": entity})
	return e
}

func countAudit(t testing.TB, db *store.DB, tenantID string) int {
	t.Helper()
	n := 0
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		r := page.Request{Limit: page.MaxLimit}
		for {
			rows, err := tx.ListAudit(context.Background(), tenantID, audit.Filter{EntityType: "thing"}, r)
			if err != nil {
				return err
			}
			if len(rows) <= r.Limit {
				n += len(rows)
				return nil
			}
			n += r.Limit
			r.After = rows[r.Limit-1].ID
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Concurrent writes are batched, yet each caller gets its own outcome: the
// failing and panicking writes are rolled back alone and every other write
// is committed.
func TestConcurrentWritesEachGetTheirOwnResult(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tid := newTenant(t, db, "acme")
		const n = 200
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx *store.Tx) error {
					if err := tx.InsertAudit(ctx, auditRow(ctx, tid, fmt.Sprint(i))); err != nil {
						return err
					}
					switch i % 10 {
					case 3:
						return errors.New("refused")
					case 7:
						panic("boom")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch i % 10 {
			case 3, 7:
				if err == nil {
					t.Errorf("write %d: want an error, got nil", i)
				}
			default:
				if err != nil {
					t.Errorf("write %d: %v", i, err)
				}
				ok++
			}
		}
		if got := countAudit(t, db, tid); got != ok {
			t.Fatalf("rows committed = %d, want %d (only the successful writes)", got, ok)
		}
	})
}

// A write whose context is already cancelled when its turn comes is not run.
func TestCancelledWriteIsNotRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var ran atomic.Bool
		err := db.Write(ctx, func(tx *store.Tx) error { ran.Store(true); return nil })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if ran.Load() {
			t.Fatal("a cancelled write ran")
		}
	})
}

// Writes after Close fail cleanly instead of hanging.
func TestWriteAfterClose(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- db.Write(context.Background(), func(*store.Tx) error { return nil }) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("write after close succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("write after close hangs")
	}
}

// Migrating twice applies nothing the second time.
func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background(), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v", applied)
		}
		v, known, err := db.SchemaVersion(context.Background())
		if err != nil || v != known || v == 0 {
			t.Fatalf("schema version %d of %d (%v)", v, known, err)
		}
	})
}

// A migration for one engine runs there and is only recorded on the
// other: PostgreSQL compresses events with lz4, SQLite's version count
// goes on without a gap.
func TestEngineMigrationRunsOnlyOnItsEngine(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var n int
		err := db.Read(ctx, func(tx *store.Tx) error {
			recs, err := tx.Records(ctx, `SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 27`)
			if err == nil {
				n, err = strconv.Atoi(fmt.Sprint(recs[0]["n"]))
			}
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("migration 27 recorded %d times (%v), want once on every engine", n, err)
		}
		if db.Engine() != store.Postgres {
			return
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			recs, err := tx.Records(ctx, `SELECT string_agg(attcompression::text, '' ORDER BY attname) AS c FROM pg_attribute
				WHERE attrelid = 'events'::regclass AND attname IN ('body', 'results')`)
			if err == nil && fmt.Sprint(recs[0]["c"]) != "ll" {
				err = fmt.Errorf("events' body and results are compressed with %q, want lz4 (l) for both", recs[0]["c"])
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// A write that holds its ledger aggregates and never writes them fails and
// leaves nothing (they would be lost), and what it held does not carry
// over to the next write, which on SQLite may share its transaction.
func TestHeldAggregatesNeverWrittenFailTheWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tid := newTenant(t, db, "held")
		err := db.Write(ctx, func(tx *store.Tx) error {
			tx.HoldAggregates()
			return tx.InsertAudit(ctx, auditRow(ctx, tid, "lost"))
		})
		if err == nil || countAudit(t, db, tid) != 0 {
			t.Fatalf("a write that never wrote its held aggregates: %v, %d rows left", err, countAudit(t, db, tid))
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.InsertAudit(ctx, auditRow(ctx, tid, "next")) }); err != nil {
			t.Fatalf("the next write: %v", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			tx.HoldAggregates()
			if err := tx.InsertAudit(ctx, auditRow(ctx, tid, "flushed")); err != nil {
				return err
			}
			return tx.FlushAggregates(ctx)
		})
		if err != nil || countAudit(t, db, tid) != 2 {
			t.Fatalf("a write that wrote its held aggregates: %v, %d rows", err, countAudit(t, db, tid))
		}
	})
}
