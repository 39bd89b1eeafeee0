package ledger_test

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// modelLot is a lot as the reference model of the jobs sees it.
type modelLot struct {
	remaining         int64
	pending           bool
	earned, available time.Time
	expires           *time.Time
}

// TestLotJobsMatchReferenceModel runs random histories of earns (some
// pending, most expiring), spends and runs of the set-based jobs with
// random batch sizes and times, and compares every wallet's balances and
// the breakage with a lot-by-lot reference model written here: spends take
// the earliest expiry first, activation makes a due pending lot
// available, expiry moves a due available lot's remaining to breakage.
// The ledger check must stay clean throughout.
func TestLotJobsMatchReferenceModel(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			db := storetest.Open(t, e)
			run := 0
			defaultChecks(t, map[bool]int{true: 6, false: 25}[e == "postgres"])
			rapid.Check(t, func(rt *rapid.T) {
				run++
				f := newFx(rt, db, fmt.Sprintf("model-%d", run), ledger.PointTypeInput{})
				owners := []ledger.Owner{f.holding, f.branch, f.member}
				model := map[ledger.Owner][]*modelLot{}
				var breakage int64
				for range rapid.IntRange(10, 40).Draw(rt, "steps") {
					f.clk.Advance(time.Duration(rapid.IntRange(1, 300).Draw(rt, "minutes")) * time.Minute)
					o := rapid.SampledFrom(owners).Draw(rt, "owner")
					switch rapid.IntRange(0, 5).Draw(rt, "op") {
					case 0, 1, 2:
						model[o] = append(model[o], modelEarn(rt, f, o))
					case 3:
						modelSpend(rt, f, o, model[o])
					default:
						at := f.clk.Now().Add(time.Duration(rapid.IntRange(0, 48).Draw(rt, "ahead")) * time.Hour)
						batch := rapid.SampledFrom([]int{1, 2, 3, 7, ledger.DefaultBatch}).Draw(rt, "batch")
						_, err := f.led.ActivateDue(f.ctx, f.p.TenantID, at, batch)
						must(rt, err)
						_, err = f.led.ExpireDue(f.ctx, f.p.TenantID, at, batch)
						must(rt, err)
						for _, lots := range model {
							breakage += modelJobs(lots, at)
						}
					}
				}
				for _, o := range owners {
					av, pe := modelBalance(model[o])
					if a, p := f.bal(o); a != av || p != pe {
						rt.Fatalf("%s: %d available, %d pending; the model says %d, %d", o.ID, a, p, av, pe)
					}
				}
				if got := f.system(ledger.SysBreakage); got != breakage {
					rt.Fatalf("breakage %d, the model says %d", got, breakage)
				}
				f.check()
			})
		})
	}
}

// modelEarn earns a random amount, pending for a while or not, expiring
// some hours after it is available or never.
func modelEarn(rt *rapid.T, f *fx, o ledger.Owner) *modelLot {
	now := f.clk.Now()
	l := &modelLot{remaining: rapid.Int64Range(1, 100).Draw(rt, "amount"), earned: now, available: now}
	in := ledger.EarnInput{IdemKey: f.key(), Owner: o, PointTypeID: f.pt.ID, Amount: l.remaining}
	if rapid.IntRange(0, 3).Draw(rt, "pending") == 0 {
		l.available, l.pending = now.Add(time.Duration(rapid.IntRange(1, 24).Draw(rt, "wait"))*time.Hour), true
		in.AvailableAt = &l.available
	}
	if rapid.IntRange(0, 4).Draw(rt, "never") > 0 {
		x := l.available.Add(time.Duration(rapid.IntRange(1, 72).Draw(rt, "life")) * time.Hour)
		l.expires, in.ExpiresAt = &x, &x
	}
	_, err := f.led.Earn(f.ctx, f.p, in)
	must(rt, err)
	return l
}

// modelSpend spends a random amount; the model takes it from the
// available lots, earliest expiry first, if the ledger accepted it.
func modelSpend(rt *rapid.T, f *fx, o ledger.Owner, lots []*modelLot) {
	amount := rapid.Int64Range(1, 150).Draw(rt, "spend")
	_, err := f.spend(o, amount)
	av, _ := modelBalance(lots)
	if (err == nil) != (amount <= av) {
		rt.Fatalf("spend of %d with %d available in the model: %v", amount, av, err)
	}
	if err != nil {
		return
	}
	order := slices.Clone(lots)
	slices.SortStableFunc(order, func(a, b *modelLot) int {
		return cmp.Or(cmp.Compare(expiryKey(a), expiryKey(b)), a.earned.Compare(b.earned))
	})
	for _, l := range order {
		if l.pending || amount == 0 {
			continue
		}
		n := min(amount, l.remaining)
		l.remaining, amount = l.remaining-n, amount-n
	}
}

func expiryKey(l *modelLot) int64 {
	if l.expires == nil {
		return ledger.NeverMs
	}
	return l.expires.UnixMilli()
}

// modelJobs activates the due pending lots, then expires the due available
// ones, returning the points expired.
func modelJobs(lots []*modelLot, at time.Time) int64 {
	var expired int64
	for _, l := range lots {
		if l.pending && !l.available.After(at) {
			l.pending = false
		}
	}
	for _, l := range lots {
		if !l.pending && l.expires != nil && !l.expires.After(at) {
			expired += l.remaining
			l.remaining = 0
			l.expires = nil // gone: it can expire once
		}
	}
	return expired
}

func modelBalance(lots []*modelLot) (available, pending int64) {
	for _, l := range lots {
		if l.pending {
			pending += l.remaining
		} else {
			available += l.remaining
		}
	}
	return available, pending
}
