package ledger_test

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A client's idempotency key of the form the jobs use for themselves
// ("expire:<lot>", "activate:<lot>") posts the client's change under an id
// of the clients' own: the jobs still expire and activate every lot, and a
// repeat of the client's request still finds its transaction.
func TestClientKeysCannotTakeSystemKeys(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		expiring := f.earnExpiring(f.branch, 100, t0.Add(24*time.Hour))
		later := t0.Add(48 * time.Hour)
		pending, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: f.key(), Owner: f.member, PointTypeID: f.pt.ID, Amount: 30, AvailableAt: &later})
		must(t, err)
		for _, key := range []string{"expire:" + expiring.Lots[0].ID, "activate:" + pending.Lots[0].ID} {
			in := ledger.EarnInput{IdemKey: key, Owner: f.holding, PointTypeID: f.pt.ID, Amount: 5}
			tr, err := f.led.Earn(f.ctx, f.p, in)
			must(t, err)
			if tr.ID == ledger.TxID(f.p.TenantID, key) {
				t.Fatalf("the client's key %s took the id of the job's transaction", key)
			}
			again, err := f.led.Earn(f.ctx, f.p, in)
			must(t, err)
			if again.ID != tr.ID {
				t.Fatalf("a repeat of key %s posted again (%s, then %s)", key, tr.ID, again.ID)
			}
		}
		at := t0.Add(72 * time.Hour)
		if n, err := f.led.ActivateDue(f.ctx, f.p.TenantID, at, 0); n != 1 || err != nil {
			t.Fatalf("activation: %d lots, %v; want 1, nil", n, err)
		}
		if n, err := f.led.ExpireDue(f.ctx, f.p.TenantID, at, 0); n != 1 || err != nil {
			t.Fatalf("expiry: %d lots, %v; want 1, nil", n, err)
		}
		f.wantBal(f.branch, 0, 0)
		f.wantBal(f.member, 30, 0)
		f.wantBal(f.holding, 10, 0)
		// Now that the job's transaction exists, its key is one already used.
		_, err = f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: "expire:" + expiring.Lots[0].ID, Owner: f.member, PointTypeID: f.pt.ID, Amount: 1})
		wantErr(t, err, errs.Conflict, "idempotency_key_reused")
		f.check()
	})
}

// A transaction posted with a client's key before client keys had a
// namespace of their own keeps its id; a repeat of its request still gets
// it back, and the same key for another change is still a conflict.
func TestEarlierClientTransactionsAreFound(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		in := ledger.EarnInput{IdemKey: "inv-77", Owner: f.branch, PointTypeID: f.pt.ID, Amount: 70}
		tr, err := f.led.Earn(f.ctx, f.p, in)
		must(t, err)
		old := ledger.TxID(f.p.TenantID, in.IdemKey) // the id it had before
		for _, table := range []string{"ledger_postings", "ledger_lots", "ledger_lot_uses"} {
			must(t, f.app.DB.Exec(f.ctx, `UPDATE `+table+` SET tx_id = $1 WHERE tx_id = $2`, old, tr.ID))
		}
		must(t, f.app.DB.Exec(f.ctx, `UPDATE ledger_txs SET id = $1 WHERE id = $2`, old, tr.ID))
		again, err := f.led.Earn(f.ctx, f.p, in)
		must(t, err)
		if again.ID != old {
			t.Fatalf("the repeat got %s, want the earlier transaction %s", again.ID, old)
		}
		in.Amount = 71
		_, err = f.led.Earn(f.ctx, f.p, in)
		wantErr(t, err, errs.Conflict, "idempotency_key_reused")
		f.wantBal(f.branch, 70, 0)
		f.check()
	})
}

// A lot whose job transaction cannot be written (its id was taken before
// client keys had a namespace of their own) is skipped and reported; every
// other due lot is expired or activated, run after run.
func TestJobsSkipABadLot(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		due := t0.Add(24 * time.Hour)
		var lots []string
		for i := range 5 {
			lots = append(lots, f.earnExpiring(f.branch, int64(10+i), due).Lots[0].ID)
		}
		var pending []string
		for range 3 {
			tr, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: f.key(), Owner: f.member, PointTypeID: f.pt.ID, Amount: 7, AvailableAt: &due})
			must(t, err)
			pending = append(pending, tr.Lots[0].ID)
		}
		squat(t, f, "expire:"+lots[2])
		squat(t, f, "activate:"+pending[1])
		at := due.Add(time.Hour)
		for run := range 2 {
			n, err := f.led.ActivateDue(f.ctx, f.p.TenantID, at, 2)
			wantSkipped(t, err, ledger.JobActivate, pending[1])
			if want := []int{2, 0}[run]; n != want {
				t.Fatalf("run %d: %d lots activated, want %d", run, n, want)
			}
			n, err = f.led.ExpireDue(f.ctx, f.p.TenantID, at, 2)
			wantSkipped(t, err, ledger.JobExpire, lots[2])
			if want := []int{4, 0}[run]; n != want {
				t.Fatalf("run %d: %d lots expired, want %d", run, n, want)
			}
		}
		f.wantBal(f.branch, 12, 0) // the skipped lot's points stay
		f.wantBal(f.member, 14, 7)
		f.check()
	})
}

// squat stores a transaction with the id of a job's key, as a client's
// request with that key did before client keys had a namespace of their
// own.
func squat(t *testing.T, f *fx, key string) {
	t.Helper()
	storetest.InsertLedgerTx(t, f.app.DB, f.p.TenantID, ledger.TxID(f.p.TenantID, key), key)
}

// wantSkipped checks that a job reports exactly one skipped row.
func wantSkipped(t *testing.T, err error, job, row string) {
	t.Helper()
	rep, ok := jobrun.Skips(err)
	if !ok || rep.Job != job || len(rep.Skipped) != 1 || rep.Skipped[0].Row != row {
		t.Fatalf("%s: error %v, want exactly row %s skipped", job, err, row)
	}
}
