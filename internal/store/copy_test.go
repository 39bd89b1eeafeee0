package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Event rows are held and, on PostgreSQL, sent as a COPY once there are
// enough of them (as INSERTs when few). Either way the transaction reads
// them, and an event that another write stored meanwhile fails the whole
// write with the conflict naming that event — not another of the COPY's
// rows — leaving nothing of it behind.
func TestEventRowsSentAsCopyAreSeenAndAConflictNamesItsEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := newTenant(t, db, "copy")
		insert := func(tx *store.Tx, prefix string, n, taken int) error {
			for i := range n {
				ext := fmt.Sprint(prefix, i)
				if i == taken {
					ext = "first-7" // stored by the first write
				}
				r := events.Record{ID: fmt.Sprint(prefix, "id-", i), TenantID: tenant, OrganizationID: "org-1", Hash: "h",
					Event:     engine.Event{Type: "invoice", Source: "erp", ExternalID: ext, OccurredAt: time.UnixMilli(1_700_000_000_000)},
					CreatedAt: time.UnixMilli(1_700_000_000_000)}
				if err := tx.InsertEvent(ctx, r); err != nil {
					return err
				}
			}
			return nil
		}
		count := func(tx *store.Tx) string {
			recs, err := tx.Records(ctx, `SELECT COUNT(*) AS n FROM events WHERE tenant_id = $1`, tenant)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(recs[0]["n"])
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := insert(tx, "first-", 300, -1); err != nil { // past aheadAfter: sent ahead
				return err
			}
			if got := count(tx); got != "300" {
				return fmt.Errorf("after 300 event rows the transaction reads %s", got)
			}
			return insert(tx, "few-", 3, -1) // too few for a COPY
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{3, 100, 600} { // INSERTs; one COPY; COPYs sent ahead and at the end
			err := db.Write(ctx, func(tx *store.Tx) error { return insert(tx, fmt.Sprint("dup", n, "-"), n, n/2+1) })
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Conflict || !strings.Contains(err.Error(), `"first-7"`) {
				t.Fatalf("%d rows, one of them stored already: %v, want a conflict naming first-7", n, err)
			}
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			if got := count(tx); got != "303" {
				return fmt.Errorf("after the failed writes %s events are stored, want 303", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
