package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Held writes (on PostgreSQL sent with the next statement) are seen by
// what the transaction reads next, and a failing one fails the whole
// write with its own error and leaves nothing behind, on both engines.
func TestHeldWritesAreSeenAndTheirFailureUndoesAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := newTenant(t, db, "held")
		insert := `INSERT INTO outbox (tenant_id, id, kind, payload, created_ms) VALUES ($1, $2, 'k', '{}', 1)`
		count := func(tx *store.Tx) (string, error) {
			recs, err := tx.Records(ctx, `SELECT COUNT(*) AS n FROM outbox WHERE tenant_id = $1`, tenant)
			if err != nil {
				return "", err
			}
			return fmt.Sprint(recs[0]["n"]), nil
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := range 2 {
				if err := tx.Later(ctx, insert, tenant, fmt.Sprint("m-", i)); err != nil {
					return err
				}
			}
			var n int64
			if err := tx.RowAfterHeld(ctx, `SELECT COUNT(*) FROM outbox WHERE tenant_id = $1`, tenant).Scan(&n); err != nil || n != 2 {
				return fmt.Errorf("a row read with two held inserts counts %d rows (%v)", n, err)
			}
			if err := tx.Later(ctx, insert, tenant, "m-2"); err != nil {
				return err
			}
			var id string
			err := tx.RowAfterHeld(ctx, `SELECT id FROM outbox WHERE tenant_id = $1 AND id = 'none'`, tenant).Scan(&id)
			if !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("a row read with a held insert, of no row: %v, want sql.ErrNoRows", err)
			}
			if n, err := count(tx); err != nil || n != "3" {
				return fmt.Errorf("after three held inserts the transaction reads %s rows (%v)", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Later(ctx, insert, tenant, "m-new"); err != nil {
				return err
			}
			if err := tx.Later(ctx, insert, tenant, "m-1"); err != nil { // taken: fails when sent
				return err
			}
			return tx.Run(ctx, `UPDATE outbox SET kind = 'changed' WHERE tenant_id = $1`, tenant)
		})
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "unique") {
			t.Fatalf("a held insert of a taken key: %v, want the unique violation", err)
		}
		var n string
		err = db.Read(ctx, func(tx *store.Tx) error {
			var e error
			n, e = count(tx)
			if e == nil {
				recs, e2 := tx.Records(ctx, `SELECT COUNT(*) AS n FROM outbox WHERE tenant_id = $1 AND kind = 'changed'`, tenant)
				if e2 != nil || fmt.Sprint(recs[0]["n"]) != "0" {
					return errors.Join(e2, errors.New("the update after the failed insert was kept"))
				}
			}
			return e
		})
		if err != nil || n != "3" {
			t.Fatalf("after the failed write: %s rows (%v), want the 3 of before", n, err)
		}
	})
}

// A write holding more statements than are sent ahead without waiting
// (a batch of a thousand events) has them all once it reads, and a
// failure among those sent ahead fails the write with its own error —
// whether the write then reads, writes at once or just ends — leaving
// nothing behind.
func TestStatementsSentAheadAreSeenAndTheirFailureUndoesAll(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := newTenant(t, db, "ahead")
		insert := `INSERT INTO outbox (tenant_id, id, kind, payload, created_ms) VALUES ($1, $2, 'k', '{}', 1)`
		const n = 700 // more than twice aheadAfter
		holdAll := func(tx *store.Tx, prefix string, taken int) error {
			for i := range n {
				id := fmt.Sprint(prefix, i)
				if i == taken {
					id = "first-0" // stored by the first write: fails when sent
				}
				if err := tx.Later(ctx, insert, tenant, id); err != nil {
					return err
				}
			}
			return nil
		}
		countIn := func(tx *store.Tx) string {
			recs, err := tx.Records(ctx, `SELECT COUNT(*) AS n FROM outbox WHERE tenant_id = $1`, tenant)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(recs[0]["n"])
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := holdAll(tx, "first-", -1); err != nil {
				return err
			}
			if got := countIn(tx); got != fmt.Sprint(n) {
				return fmt.Errorf("after %d held inserts the transaction reads %s rows", n, got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ends := map[string]func(tx *store.Tx) error{
			"read": func(tx *store.Tx) error { _, err := tx.Records(ctx, `SELECT 1 AS one`); return err },
			"write": func(tx *store.Tx) error {
				return tx.Run(ctx, `UPDATE outbox SET kind = 'changed' WHERE tenant_id = $1`, tenant)
			},
			"end": func(*store.Tx) error { return nil },
		}
		for name, end := range ends {
			err := db.Write(ctx, func(tx *store.Tx) error {
				if err := holdAll(tx, name+"-", 10); err != nil { // the 11th, in the first statements sent ahead
					return err
				}
				return end(tx)
			})
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "unique") {
				t.Fatalf("%s: a taken key among statements sent ahead: %v, want the unique violation", name, err)
			}
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			if got := countIn(tx); got != fmt.Sprint(n) {
				return fmt.Errorf("after the failed writes: %s rows, want the %d of the first", got, n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// On PostgreSQL a statement's failure aborts the transaction even when
// the write goes on: its commit then fails (PostgreSQL answers it with a
// rollback), and nothing of the write is kept. A write that wrote nothing
// succeeds.
func TestWriteAfterAFailedStatementDoesNotCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != store.Postgres {
			return // SQLite's failed statement undoes only itself
		}
		ctx := context.Background()
		tenant := newTenant(t, db, "aborted")
		insert := `INSERT INTO outbox (tenant_id, id, kind, payload, created_ms) VALUES ($1, $2, 'k', '{}', 1)`
		if err := db.Write(ctx, func(tx *store.Tx) error { return tx.Run(ctx, insert, tenant, "taken") }); err != nil {
			t.Fatal(err)
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Run(ctx, insert, tenant, "new"); err != nil {
				return err
			}
			_ = tx.Run(ctx, insert, tenant, "taken") // fails; the write goes on regardless
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "rolled back") {
			t.Fatalf("a write going on after a failed statement: %v, want its commit to fail", err)
		}
		if err := db.Write(ctx, func(*store.Tx) error { return nil }); err != nil {
			t.Fatalf("a write that writes nothing: %v", err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			recs, err := tx.Records(ctx, `SELECT COUNT(*) AS n FROM outbox WHERE tenant_id = $1`, tenant)
			if err == nil && fmt.Sprint(recs[0]["n"]) != "1" {
				err = fmt.Errorf("%v messages kept, want only the first write's", recs[0]["n"])
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
