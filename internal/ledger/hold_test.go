package ledger_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
)

// A wallet held for a batch (Deferred.Hold) ends with the postings,
// sequence numbers and balances it would have had if every credit had
// changed it in the database: the holding's wallet is held, the branch's
// is not, and both go through the same entries — pending and available
// credits, a spend and a clawback in the middle (posted in the database
// after the held wallets are written, then taken into them), credits after
// them. A member's wallet that does not exist
// yet is created by its first credit and held from then on.
func TestHeldWalletsPostAsTheDatabaseWould(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "never"}, func(t *testing.T, f *fx) {
		f.earn(f.holding, 10)
		f.earn(f.branch, 10)
		run := store.Bind[ledger.Tx](f.app.DB)
		later := t0.Add(48 * time.Hour)
		credit := func(o ledger.Owner, n int64, avail *time.Time) ledger.Entry {
			return ledger.Entry{Kind: ledger.KindEarn, IdemKey: f.key(), Credits: []ledger.Credit{{Owner: o, PointTypeID: f.pt.ID, Amount: n, AvailableAt: avail}}}
		}
		err := run.Write(f.ctx, func(tx ledger.Tx) error {
			var d ledger.Deferred
			if err := d.Hold(f.ctx, tx, f.p.TenantID, []string{f.wallet(f.holding), f.wallet(f.member)}); err != nil {
				return err
			}
			for _, o := range []ledger.Owner{f.holding, f.branch, f.member} {
				first, err := f.led.PostDeferred(f.ctx, tx, f.p, credit(o, 100, nil), &d)
				if err != nil {
					return err
				}
				for _, e := range []ledger.Entry{credit(o, 40, &later), credit(o, 50, nil),
					{Kind: ledger.KindSpend, IdemKey: f.key(), Debits: []ledger.Debit{{Owner: o, PointTypeID: f.pt.ID, Amount: 30}}},
					credit(o, 7, nil),
					{Kind: ledger.KindClawback, IdemKey: f.key(), Clawbacks: []ledger.Clawback{{LotID: first.Lots[0].ID, Amount: 10, Policy: ledger.ClawOtherLots}}},
					credit(o, 5, &later), credit(o, 3, nil)} {
					if _, err := f.led.PostDeferred(f.ctx, tx, f.p, e, &d); err != nil {
						return fmt.Errorf("%s: %w", o.ID, err)
					}
				}
			}
			return d.Flush(f.ctx, tx)
		})
		must(t, err)
		f.wantBal(f.holding, 10+100+50-30+7-10+3, 45)
		f.wantBal(f.branch, 10+100+50-30+7-10+3, 45)
		f.wantBal(f.member, 100+50-30+7-10+3, 45)
		held, free := f.walletLines(f.holding), f.walletLines(f.branch)
		if fmt.Sprint(held) != fmt.Sprint(free) {
			t.Fatalf("held wallet's postings differ from the database's:\nheld %v\nfree %v", held, free)
		}
		f.check()
	})
}

// walletLines is an owner's postings as (amount, sequence, available and
// pending after), oldest first.
func (f *fx) walletLines(o ledger.Owner) []string {
	f.t.Helper()
	pg, err := f.led.Statement(f.ctx, f.p, f.wallet(o), page.Request{Limit: 100})
	must(f.t, err)
	var out []string
	for i := len(pg.Items) - 1; i >= 0; i-- {
		p := pg.Items[i].Posting
		out = append(out, fmt.Sprintf("%s %d seq %d after %d/%d", p.Bucket, p.Amount, *p.AccountSeq, *p.AvailableAfter, *p.PendingAfter))
	}
	return out
}

func (f *fx) wallet(o ledger.Owner) string { return ledger.AccountID(f.pt.ID, o.Type, o.ID) }

// A held wallet keeps the balance limit: a credit past MaxBalance is
// refused as it is in the database, and nothing of the batch stays.
func TestHeldWalletKeepsTheBalanceLimit(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "never"}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 10)
		run := store.Bind[ledger.Tx](f.app.DB)
		for _, hold := range []bool{false, true} {
			err := run.Write(f.ctx, func(tx ledger.Tx) error {
				a, err := tx.GetAccount(f.ctx, f.p.TenantID, f.wallet(f.branch))
				must(t, err)
				a.Available = ledger.MaxBalance - 5
				must(t, tx.SetAccountSet(f.ctx, f.p.TenantID, []ledger.Account{a}))
				var d ledger.Deferred
				if hold {
					must(t, d.Hold(f.ctx, tx, f.p.TenantID, []string{a.ID}))
				}
				_, err = f.led.PostDeferred(f.ctx, tx, f.p, ledger.Entry{Kind: ledger.KindEarn, IdemKey: f.key(),
					Credits: []ledger.Credit{{Owner: f.branch, PointTypeID: f.pt.ID, Amount: 6}}}, &d)
				return err
			})
			wantErr(t, err, errs.Invalid, "balance_too_large")
		}
		f.wantBal(f.branch, 10, 0)
		f.check()
	})
}

// Batches that hold the same wallets at once wait for each other: no
// credit is lost (on PostgreSQL the hold is a SELECT … FOR UPDATE).
func TestConcurrentBatchesHoldingTheSameWallets(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "never"}, func(t *testing.T, f *fx) {
		f.earn(f.holding, 1)
		f.earn(f.branch, 1)
		run := store.Bind[ledger.Tx](f.app.DB)
		const callers, batches = 8, 4
		var mu sync.Mutex
		key := func() string { mu.Lock(); defer mu.Unlock(); return f.key() }
		var wg sync.WaitGroup
		errc := make(chan error, callers*batches)
		for range callers {
			wg.Go(func() {
				for range batches {
					errc <- run.Write(f.ctx, func(tx ledger.Tx) error {
						var d ledger.Deferred
						if err := d.Hold(f.ctx, tx, f.p.TenantID, []string{f.wallet(f.branch), f.wallet(f.holding)}); err != nil {
							return err
						}
						for _, o := range []ledger.Owner{f.branch, f.holding, f.branch} {
							e := ledger.Entry{Kind: ledger.KindEarn, IdemKey: key(), Credits: []ledger.Credit{{Owner: o, PointTypeID: f.pt.ID, Amount: 3}}}
							if _, err := f.led.PostDeferred(f.ctx, tx, f.p, e, &d); err != nil {
								return err
							}
						}
						return d.Flush(f.ctx, tx)
					})
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			must(t, err)
		}
		f.wantBal(f.branch, 1+callers*batches*6, 0)
		f.wantBal(f.holding, 1+callers*batches*3, 0)
		f.check()
	})
}
