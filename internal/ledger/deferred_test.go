package ledger_test

import (
	"errors"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/store"
)

// Deferred credits of a batch are visible to a spend and a clawback later
// in the same database transaction (they flush first), a rolled-back batch
// leaves nothing, and the ledger balances after a committed one.
func TestDeferredEntriesInOneTransaction(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "never"}, func(t *testing.T, f *fx) {
		run := store.Bind[ledger.Tx](f.app.DB)
		credit := func(key string, n int64) ledger.Entry {
			return ledger.Entry{Kind: ledger.KindEarn, IdemKey: key, Credits: []ledger.Credit{{Owner: f.branch, PointTypeID: f.pt.ID, Amount: n}}}
		}
		var lot string
		err := run.Write(f.ctx, func(tx ledger.Tx) error {
			var d ledger.Deferred
			for i, n := range []int64{100, 50} {
				tr, err := f.led.PostDeferred(f.ctx, tx, f.p, credit("batch-"+string(rune('a'+i)), n), &d)
				if err != nil {
					return err
				}
				lot = tr.Lots[0].ID
			}
			spend := ledger.Entry{Kind: ledger.KindSpend, IdemKey: "batch-spend", Debits: []ledger.Debit{{Owner: f.branch, PointTypeID: f.pt.ID, Amount: 120}}}
			if _, err := f.led.PostDeferred(f.ctx, tx, f.p, spend, &d); err != nil {
				return err // 150 credited in this transaction: the spend must see them
			}
			claw := ledger.Entry{Kind: ledger.KindClawback, IdemKey: "batch-claw", Clawbacks: []ledger.Clawback{{LotID: lot, Amount: 10, Policy: ledger.ClawOtherLots}}}
			if _, err := f.led.PostDeferred(f.ctx, tx, f.p, claw, &d); err != nil {
				return err
			}
			if _, err := f.led.PostDeferred(f.ctx, tx, f.p, credit("batch-c", 7), &d); err != nil {
				return err
			}
			return d.Flush(f.ctx, tx)
		})
		must(t, err)
		f.wantBal(f.branch, 100+50-120-10+7, 0)
		err = run.Write(f.ctx, func(tx ledger.Tx) error {
			var d ledger.Deferred
			if _, err := f.led.PostDeferred(f.ctx, tx, f.p, credit("batch-d", 1000), &d); err != nil {
				return err
			}
			if err := d.Flush(f.ctx, tx); err != nil {
				return err
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatalf("rollback: %v", err)
		}
		f.wantBal(f.branch, 27, 0)
		f.check()
	})
}

var errRollback = errors.New("roll back")
