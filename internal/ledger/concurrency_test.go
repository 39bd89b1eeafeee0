package ledger_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Many spends race for one wallet: exactly as many succeed as the balance
// covers, none twice, and no update is lost.
func TestParallelSpendsNoDoubleSpend(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		for range 6 {
			f.earn(f.branch, 50) // 300 points in six lots
		}
		const spenders = 48
		var wg sync.WaitGroup
		results := make([]error, spenders)
		for i := range spenders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: fmt.Sprintf("race-%d", i), Owner: f.branch, PointTypeID: f.pt.ID, Amount: 10})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range results {
			switch {
			case err == nil:
				ok++
			case errs.Is(err, errs.Conflict):
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 30 {
			t.Fatalf("%d spends of 10 succeeded from 300 points, want exactly 30", ok)
		}
		f.wantBal(f.branch, 0, 0)
		if f.system(ledger.SysRedemption) != 300 {
			t.Fatalf("redemption %d, want 300", f.system(ledger.SysRedemption))
		}
		f.check()
	})
}

// Earns, spends and transfers on overlapping wallets from many goroutines
// leave a consistent ledger with no lost update (PostgreSQL retries the
// transactions that deadlock or fail to serialize).
func TestParallelMixedWrites(t *testing.T) {
	each(t, ledger.PointTypeInput{Transfers: []string{ledger.AnyTransfer}}, func(t *testing.T, f *fx) {
		owners := []ledger.Owner{f.holding, f.branch, f.member}
		for _, o := range owners {
			f.earn(o, 1000)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		earned := int64(3000)
		for g := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 15 {
					key := fmt.Sprintf("mix-%d-%d", g, i)
					a, b := owners[(g+i)%3], owners[(g+i+1)%3]
					var err error
					switch i % 3 {
					case 0:
						_, err = f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: key, Owner: a, PointTypeID: f.pt.ID, Amount: 7})
						if err == nil {
							mu.Lock()
							earned += 7
							mu.Unlock()
						}
					case 1:
						_, err = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: key, Owner: a, PointTypeID: f.pt.ID, Amount: 5})
						if err == nil {
							mu.Lock()
							earned -= 5
							mu.Unlock()
						}
					case 2:
						_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: key, From: a, To: b, PointTypeID: f.pt.ID, Amount: 3})
					}
					if err != nil {
						t.Errorf("%s: %v", key, err)
					}
				}
			}()
		}
		wg.Wait()
		total := int64(0)
		for _, o := range owners {
			a, p := f.bal(o)
			total += a + p
		}
		if total != earned {
			t.Fatalf("wallets hold %d, want %d", total, earned)
		}
		f.check()
	})
}

// Twenty reversals of one transaction at once, for every kind that can be
// reversed: exactly one succeeds, the others are told it is already
// reversed, and the wallets end where they were before the transaction.
func TestParallelReversalsReverseOnce(t *testing.T) {
	each(t, ledger.PointTypeInput{Transfers: []string{ledger.AnyTransfer}, ApprovalAbove: 100}, func(t *testing.T, f *fx) {
		earned := f.earn(f.branch, 1000)
		f.earn(f.holding, 1000)
		spend, err := f.spend(f.branch, 90)
		must(t, err)
		transfer, err := f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.holding, To: f.branch, PointTypeID: f.pt.ID, Amount: 70})
		must(t, err)
		claw, err := f.led.Clawback(f.ctx, f.p, ledger.ClawbackInput{IdemKey: f.key(), LotID: earned.Lots[0].ID, Amount: 40, Policy: ledger.ClawSourceOnly})
		must(t, err)
		acct := ledger.AccountID(f.pt.ID, f.branch.Type, f.branch.ID)
		_, adjust, err := f.led.Adjust(f.ctx, f.p, ledger.AdjustInput{AccountID: acct, Amount: 25, Reason: "goodwill", IdemKey: f.key()})
		must(t, err)
		fresh := f.earn(f.member, 60)
		wants := []struct {
			tx             ledger.Transaction
			branch, holder int64 // the branch's and the holding's balance after reversing it
		}{
			{spend, 1000 - 40 + 70 + 25, 930},
			{transfer, 1000 - 40 + 25, 1000},
			{claw, 1000 + 25, 1000},
			{*adjust, 1000, 1000},
			{fresh, 1000, 1000},
		}
		for _, w := range wants {
			results := race(20, func(i int) error {
				_, err := f.led.Reverse(f.ctx, f.p, ledger.ReverseInput{IdemKey: fmt.Sprintf("rev-%s-%d", w.tx.ID, i), TxID: w.tx.ID, Reason: "race"})
				return err
			})
			if ok := successes(t, results, "already_reversed"); ok != 1 {
				t.Fatalf("%d reversals of the %s succeeded, want 1", ok, w.tx.Kind)
			}
			f.wantBal(f.branch, w.branch, 0)
			f.wantBal(f.holding, w.holder, 0)
			f.check()
		}
		f.wantBal(f.member, 0, 0)
	})
}

// Twenty copies of one adjustment request (one key) at once, above and
// below the approval threshold: one adjustment, every copy answered with
// it, points posted once. Then twenty approvals and twenty rejections of
// a pending one by a colleague: one decision, points posted at most once.
func TestParallelAdjustments(t *testing.T) {
	each(t, ledger.PointTypeInput{ApprovalAbove: 100}, func(t *testing.T, f *fx) {
		acct := ledger.AccountID(f.pt.ID, f.branch.Type, f.branch.ID)
		colleague := f.colleague("bob@acme.example")
		f.earn(f.branch, 5)
		var pending string
		for _, amount := range []int64{50, 5000} {
			adjs := make([]ledger.Adjustment, 20)
			results := race(20, func(i int) (err error) {
				adjs[i], _, err = f.led.Adjust(f.ctx, f.p, ledger.AdjustInput{AccountID: acct, Amount: amount, Reason: "goodwill", IdemKey: fmt.Sprint("adj-", amount)})
				return err
			})
			successes(t, results)
			for i := range adjs {
				if adjs[i].ID != adjs[0].ID {
					t.Fatalf("copy %d of the %d-point adjustment has id %s (first %s)", i, amount, adjs[i].ID, adjs[0].ID)
				}
			}
			pending = adjs[0].ID
		}
		f.wantBal(f.branch, 55, 0)
		results := race(40, func(i int) error {
			_, _, err := f.led.Decide(f.ctx, colleague, pending, i%2 == 0, fmt.Sprint("decision ", i))
			return err
		})
		successes(t, results, "already_decided")
		approved, rejected := 0, 0
		for i, err := range results {
			switch {
			case err == nil && i%2 == 0:
				approved++
			case err == nil:
				rejected++
			}
		}
		want := int64(55)
		if approved > 0 {
			want = 5055
		}
		if rejected > 1 || (approved > 0) == (rejected > 0) {
			t.Fatalf("%d approvals and %d rejections succeeded; want one kind, one rejection at most", approved, rejected)
		}
		f.wantBal(f.branch, want, 0)
		f.check()
	})
}

// Twenty clawbacks of one lot at once take back its points once, twenty
// expiry runs at once (replicas) expire every due lot once while spends
// take from the same wallet, and opposite transfers between two wallets
// wait for each other instead of deadlocking.
func TestParallelClawbacksJobsAndTransfers(t *testing.T) {
	each(t, ledger.PointTypeInput{Transfers: []string{ledger.AnyTransfer}}, func(t *testing.T, f *fx) {
		lot := f.earn(f.branch, 100).Lots[0].ID
		results := race(20, func(i int) error {
			_, err := f.led.Clawback(f.ctx, f.p, ledger.ClawbackInput{IdemKey: fmt.Sprint("claw-", i), LotID: lot, Amount: 10, Policy: ledger.ClawSourceOnly})
			return err
		})
		if n := successes(t, results); n != 20 {
			t.Fatalf("%d of 20 clawbacks done, want all (those that find the lot empty take nothing)", n)
		}
		f.wantBal(f.branch, 0, 0)

		due := t0.Add(time.Hour)
		for range 10 {
			f.earnExpiring(f.holding, 10, due)
		}
		f.earn(f.holding, 1000)
		runs := make([]int, 20)
		results = race(20, func(i int) (err error) {
			if i%2 == 0 {
				runs[i], err = f.led.ExpireDue(f.ctx, f.p.TenantID, due, 3)
			} else {
				_, err = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: fmt.Sprint("spend-", i), Owner: f.holding, PointTypeID: f.pt.ID, Amount: 1})
			}
			return err
		})
		successes(t, results)
		expired := 0
		for _, n := range runs {
			expired += n
		}
		if expired != 10 {
			t.Fatalf("%d lots expired in all the runs, want each of the 10 once", expired)
		}
		a, _ := f.bal(f.holding)
		if a != 1100-10-f.system(ledger.SysBreakage) {
			t.Fatalf("holding has %d; want 1,100 less ten spends less what expired (%d)", a, f.system(ledger.SysBreakage))
		}
		results = race(20, func(i int) error {
			from, to := f.holding, f.member
			if i%2 == 1 {
				from, to = to, from
			}
			_, err := f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: fmt.Sprint("tr-", i), From: from, To: to, PointTypeID: f.pt.ID, Amount: 5})
			return err
		})
		successes(t, results, "insufficient_points")
		f.check()
	})
}

// The first credits of a wallet that does not exist yet, twenty at once
// (earns, and transfers into it), all succeed: one creates the wallet and
// the others find it, however their statements interleave.
func TestParallelFirstCredits(t *testing.T) {
	each(t, ledger.PointTypeInput{Transfers: []string{ledger.AnyTransfer}}, func(t *testing.T, f *fx) {
		f.earn(f.holding, 10000)
		for round := range 5 {
			o, err := f.app.Party.CreateOrganization(f.ctx, f.p, party.OrgInput{Type: party.Dealer, Name: fmt.Sprint("New ", round)})
			must(t, err)
			fresh := ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}
			results := race(20, func(i int) (err error) {
				key := fmt.Sprintf("first-%d-%d", round, i)
				if i%2 == 0 {
					_, err = f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: key, Owner: fresh, PointTypeID: f.pt.ID, Amount: 3})
				} else {
					_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: key, From: f.holding, To: fresh, PointTypeID: f.pt.ID, Amount: 2})
				}
				return err
			})
			successes(t, results)
			f.wantBal(fresh, 10*3+10*2, 0)
		}
		f.check()
	})
}

// race runs fn(0) … fn(n-1) at once and returns their errors.
func race(n int, fn func(i int) error) []error {
	results := make([]error, n)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = fn(i) })
	}
	wg.Wait()
	return results
}

// successes counts the calls that succeeded; every other must have been
// refused with one of codes.
func successes(t *testing.T, results []error, codes ...string) int {
	t.Helper()
	n := 0
	for i, err := range results {
		switch e := errs.As(err); {
		case err == nil:
			n++
		case e == nil || !slices.Contains(codes, e.Code):
			t.Fatalf("call %d: %v, want success or a refusal %v", i, err, codes)
		}
	}
	return n
}
