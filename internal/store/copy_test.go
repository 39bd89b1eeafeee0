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
	"github.com/loyal-b2b/loyal/internal/ledger"
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

// The ledger's rows held for COPY land with their values: enough rows of
// every such table for a COPY each, read back on both engines.
func TestLedgerRowsSentAsCopyLandWithTheirValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tenant := newTenant(t, db, "copyledger")
		at := time.UnixMilli(1_700_000_000_000).UTC()
		const n = 40 // more than a COPY's least
		var txs []ledger.Transaction
		var ps []ledger.Posting
		var lots []ledger.Lot
		var uses []ledger.LotUse
		for i := range n {
			id := fmt.Sprint("tx-", i)
			after := int64(100 + i)
			p := ledger.Posting{TxID: id, Seq: 1, AccountID: "acc", PointTypeID: "pt", Bucket: ledger.Available, Amount: int64(i + 1),
				LotID: fmt.Sprint("lot-", i), AccountSeq: &after, AvailableAfter: &after}
			tr := ledger.Transaction{ID: id, TenantID: tenant, Kind: ledger.KindEarn, IdemKey: fmt.Sprint("k-", i), Effective: at, Created: at,
				ActorType: "system", Reason: "copy", Postings: []ledger.Posting{p}}
			txs, ps = append(txs, tr), append(ps, p)
			lots = append(lots, ledger.Lot{ID: p.LotID, TenantID: tenant, AccountID: "acc", TxID: id, Amount: p.Amount, Remaining: p.Amount,
				State: "available", EarnedAt: at, AvailableAt: at})
			uses = append(uses, ledger.LotUse{TxID: id, LotID: p.LotID, Amount: int64(i)})
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			return errors.Join(tx.InsertTxs(ctx, txs), tx.InsertPostings(ctx, tenant, ps), tx.InsertLots(ctx, lots), tx.InsertUses(ctx, tenant, uses))
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Read(ctx, func(tx *store.Tx) error {
			got, err := tx.GetTx(ctx, tenant, "tx-33")
			if err != nil {
				return err
			}
			if got.IdemKey != "k-33" || !got.Effective.Equal(at) || len(got.Postings) != 1 || got.Postings[0].Amount != 34 || *got.Postings[0].AvailableAfter != 133 {
				return fmt.Errorf("transaction read back: %+v", got)
			}
			recs, err := tx.Records(ctx, `SELECT (SELECT SUM(amount) FROM ledger_postings WHERE tenant_id = $1) AS p,
				(SELECT SUM(remaining) FROM ledger_lots WHERE tenant_id = $1 AND state = 'available' AND expires_ms = $2) AS l,
				(SELECT SUM(amount) FROM ledger_lot_uses WHERE tenant_id = $1) AS u`, tenant, ledger.NeverMs)
			if err == nil && fmt.Sprintf("%v %v %v", recs[0]["p"], recs[0]["l"], recs[0]["u"]) != "820 820 780" {
				err = fmt.Errorf("sums of postings, lots and lot uses: %v %v %v, want 820 820 780", recs[0]["p"], recs[0]["l"], recs[0]["u"])
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
