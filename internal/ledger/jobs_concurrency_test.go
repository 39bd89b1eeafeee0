package ledger_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
)

// Expiry runs in large set-based batches (several replicas at once) while
// spends hit the same wallets: every due lot expires exactly once, every
// spend is either done or refused for want of points, no point is lost or
// made (wallets plus breakage equal what was earned less what was spent),
// and the ledger check is clean.
func TestSetBasedExpiryWithConcurrentSpends(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		const wallets, lotsEach = 12, 10
		due := t0.Add(time.Hour)
		var owners []ledger.Owner
		for i := range wallets {
			o, err := f.app.Party.CreateOrganization(f.ctx, f.p, party.OrgInput{Type: party.Dealer, Name: fmt.Sprint("Dealer ", i)})
			must(t, err)
			owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}
			for range lotsEach {
				f.earnExpiring(owner, 10, due)
			}
			f.earn(owner, 30)
			owners = append(owners, owner)
		}
		var expired, spent atomic.Int64
		results := race(24, func(i int) error {
			if i%6 == 0 {
				n, err := f.led.ExpireDue(f.ctx, f.p.TenantID, due, 64)
				expired.Add(int64(n))
				return err
			}
			for j := range 3 {
				_, err := f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: fmt.Sprint("spend-", i, "-", j), Owner: owners[(i+j)%wallets], PointTypeID: f.pt.ID, Amount: 7})
				if err != nil {
					return err
				}
				spent.Add(7)
			}
			return nil
		})
		successes(t, results, "insufficient_points")
		if n, err := f.led.ExpireDue(f.ctx, f.p.TenantID, due, 0); err != nil || n != 0 {
			t.Fatalf("a run after the race expired %d lots (%v); want none left", n, err)
		}
		if got := expired.Load(); got != wallets*lotsEach {
			t.Fatalf("%d lots expired in all the runs, want each of the %d once", got, wallets*lotsEach)
		}
		var left int64
		for _, o := range owners {
			a, p := f.bal(o)
			left += a + p
		}
		if earned := int64(wallets * (lotsEach*10 + 30)); left+f.system(ledger.SysBreakage) != earned-spent.Load() {
			t.Fatalf("wallets hold %d and breakage %d; want together %d earned less %d spent", left, f.system(ledger.SysBreakage), earned, spent.Load())
		}
		f.check()
	})
}
