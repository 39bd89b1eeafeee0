package ledger_test

import (
	"flag"
	"fmt"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestLedgerProperties runs random sequences of earn, spend, transfer,
// clawback, reversal, activation and expiry, with random point type
// settings, and after every step checks: the ledger's invariants hold
// (Check), every wallet and system account together sum to zero, a refused
// change changed nothing, and a repeated request changes nothing.
func TestLedgerProperties(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			db := storetest.Open(t, e)
			run := 0
			checks := 60
			if e == "postgres" {
				checks = 20 // every step costs several round trips
			}
			defaultChecks(t, checks)
			rapid.Check(t, func(rt *rapid.T) {
				run++
				in := ledger.PointTypeInput{
					PendingDays:   rapid.SampledFrom([]int{0, 0, 7}).Draw(rt, "pending"),
					Expiry:        rapid.SampledFrom([]string{"never", "days:30", "months:2", "end_of_month"}).Draw(rt, "expiry"),
					NegativeLimit: rapid.SampledFrom([]int64{0, 0, 50}).Draw(rt, "limit"),
					Transfers:     []string{ledger.AnyTransfer},
				}
				f := newFx(rt, db, fmt.Sprintf("prop-%d", run), in)
				owners := []ledger.Owner{f.holding, f.branch, f.member}
				var done []ledger.Transaction
				steps := rapid.IntRange(5, 30).Draw(rt, "steps")
				for range steps {
					step(rt, f, owners, &done)
					f.check()
					conservation(rt, f, owners)
				}
			})
		})
	}
}

// defaultChecks sets how many random sequences rapid tries, unless the
// command line chose (-rapid.checks=N).
func defaultChecks(t *testing.T, n int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		old := flag.Lookup("rapid.checks").Value.String()
		must(t, flag.Set("rapid.checks", strconv.Itoa(n)))
		t.Cleanup(func() { _ = flag.Set("rapid.checks", old) })
	}
}

func step(rt *rapid.T, f *fx, owners []ledger.Owner, done *[]ledger.Transaction) {
	owner := rapid.SampledFrom(owners).Draw(rt, "owner")
	amount := rapid.Int64Range(1, 120).Draw(rt, "amount")
	before := snapshot(f, owners)
	var tr ledger.Transaction
	var err error
	key := f.key()
	switch rapid.IntRange(0, 8).Draw(rt, "op") {
	case 0, 1, 2:
		tr, err = f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: key, Owner: owner, PointTypeID: f.pt.ID, Amount: amount})
	case 3, 4:
		tr, err = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: key, Owner: owner, PointTypeID: f.pt.ID, Amount: amount})
	case 5:
		to := rapid.SampledFrom(owners).Draw(rt, "to")
		tr, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: key, From: owner, To: to, PointTypeID: f.pt.ID, Amount: amount})
	case 6:
		lots := lotsOf(*done)
		if len(lots) == 0 {
			return
		}
		lot := rapid.SampledFrom(lots).Draw(rt, "lot")
		policy := rapid.SampledFrom(ledger.ClawbackPolicies).Draw(rt, "policy")
		tr, err = f.led.Clawback(f.ctx, f.p, ledger.ClawbackInput{IdemKey: key, LotID: lot, Amount: amount, Policy: policy})
	case 7:
		if len(*done) == 0 {
			return
		}
		orig := rapid.SampledFrom(*done).Draw(rt, "reverse")
		tr, err = f.led.Reverse(f.ctx, f.p, ledger.ReverseInput{IdemKey: key, TxID: orig.ID, Reason: "property"})
	case 8:
		f.clk.Advance(time.Duration(rapid.IntRange(1, 40).Draw(rt, "days")) * 24 * time.Hour)
		if _, err := f.led.ActivateDue(f.ctx, f.p.TenantID, f.clk.Now(), 3); err != nil {
			rt.Fatal(err)
		}
		if _, err := f.led.ExpireDue(f.ctx, f.p.TenantID, f.clk.Now(), 3); err != nil {
			rt.Fatal(err)
		}
		return
	}
	if err != nil {
		if k := errs.KindOf(err); k != errs.Invalid && k != errs.Conflict && k != errs.Forbidden {
			rt.Fatalf("unexpected error: %v", err)
		}
		if after := snapshot(f, owners); after != before {
			rt.Fatalf("a refused change (%v) changed balances: %v → %v", err, before, after)
		}
		return
	}
	*done = append(*done, tr)
	mid := snapshot(f, owners)
	if again := replay(f, tr); again != nil && again.ID != tr.ID {
		rt.Fatalf("replaying %s gave %s", tr.ID, again.ID)
	}
	if after := snapshot(f, owners); after != mid {
		rt.Fatalf("replaying %s changed balances: %v → %v", tr.ID, mid, after)
	}
}

// replay repeats a spend or earn with its idempotency key (other kinds
// have inputs the test does not keep).
func replay(f *fx, tr ledger.Transaction) *ledger.Transaction {
	var in ledger.EarnInput
	switch tr.Kind {
	case ledger.KindEarn:
		p := tr.Postings[0]
		a, err := f.led.GetAccount(f.ctx, f.p, p.AccountID)
		must(f.t, err)
		in = ledger.EarnInput{IdemKey: tr.IdemKey, Owner: ledger.Owner{Type: a.OwnerType, ID: a.OwnerID}, PointTypeID: f.pt.ID, Amount: p.Amount}
	default:
		return nil
	}
	again, err := f.led.Earn(f.ctx, f.p, in)
	must(f.t, err)
	return &again
}

func lotsOf(txs []ledger.Transaction) []string {
	var out []string
	for _, t := range txs {
		for _, l := range t.Lots {
			out = append(out, l.ID)
		}
	}
	return out
}

// snapshot is every wallet's available and pending balance.
func snapshot(f *fx, owners []ledger.Owner) [6]int64 {
	var s [6]int64
	for i, o := range owners {
		s[2*i], s[2*i+1] = f.bal(o)
	}
	return s
}

// conservation: points are never made or lost — wallets and system
// accounts sum to zero.
func conservation(rt *rapid.T, f *fx, owners []ledger.Owner) {
	sum := int64(0)
	for _, o := range owners {
		a, p := f.bal(o)
		sum += a + p
	}
	for _, k := range ledger.SystemKinds {
		sum += f.system(k)
	}
	if sum != 0 {
		rt.Fatalf("wallets and system accounts sum to %d, not 0", sum)
	}
}
