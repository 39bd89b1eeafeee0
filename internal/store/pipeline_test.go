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
			if err := tx.Later(ctx, insert, tenant, "m-1"); err != nil { // taken: fails when sent (SQLite: now)
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
