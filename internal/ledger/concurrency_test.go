package ledger_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
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
