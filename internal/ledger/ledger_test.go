package ledger_test

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func TestEarnAndSpendEarliestExpiryFirst(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		late := f.earnExpiring(f.branch, 100, t0.AddDate(0, 6, 0))
		soon := f.earnExpiring(f.branch, 50, t0.AddDate(0, 1, 0))
		never := f.earn(f.branch, 20)
		f.wantBal(f.branch, 170, 0)
		sp, err := f.spend(f.branch, 60)
		must(t, err)
		uses := map[string]int64{}
		for _, u := range sp.Uses {
			uses[u.LotID] = u.Amount
		}
		if uses[soon.Lots[0].ID] != 50 || uses[late.Lots[0].ID] != 10 || uses[never.Lots[0].ID] != 0 {
			t.Fatalf("spend took %v; want 50 from the lot expiring first, then 10 from the next", uses)
		}
		f.wantBal(f.branch, 110, 0)
		if f.system(ledger.SysIssuance) != -170 || f.system(ledger.SysRedemption) != 60 {
			t.Fatalf("issuance %d, redemption %d", f.system(ledger.SysIssuance), f.system(ledger.SysRedemption))
		}
		_, err = f.spend(f.branch, 111)
		wantErr(t, err, errs.Conflict, "insufficient_points")
		f.wantBal(f.branch, 110, 0)
		f.check()
	})
}

func TestIdempotentWrites(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		in := ledger.EarnInput{IdemKey: "invoice-42", Owner: f.branch, PointTypeID: f.pt.ID, Amount: 100}
		a, err := f.led.Earn(f.ctx, f.p, in)
		must(t, err)
		b, err := f.led.Earn(f.ctx, f.p, in)
		must(t, err)
		if a.ID != b.ID || len(b.Postings) != 2 || len(b.Lots) != 1 {
			t.Fatalf("repeat returned %s with %d postings, want %s with its postings", b.ID, len(b.Postings), a.ID)
		}
		f.wantBal(f.branch, 100, 0)
		in.Amount = 101
		_, err = f.led.Earn(f.ctx, f.p, in)
		wantErr(t, err, errs.Conflict, "idempotency_key_reused")
		_, err = f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: "invoice-42", Owner: f.branch, PointTypeID: f.pt.ID, Amount: 1})
		wantErr(t, err, errs.Conflict, "idempotency_key_reused")
		f.wantBal(f.branch, 100, 0)
		f.check()
	})
}

func TestPendingThenAvailable(t *testing.T) {
	each(t, ledger.PointTypeInput{PendingDays: 14}, func(t *testing.T, f *fx) {
		f.earn(f.member, 100)
		f.wantBal(f.member, 0, 100)
		_, err := f.spend(f.member, 1)
		wantErr(t, err, errs.Conflict, "insufficient_points")
		n, err := f.led.ActivateDue(f.ctx, f.p.TenantID, f.clk.Now(), 0)
		if err != nil || n != 0 {
			t.Fatalf("activated %d early (%v)", n, err)
		}
		f.clk.Advance(14 * 24 * time.Hour)
		n, err = f.led.ActivateDue(f.ctx, f.p.TenantID, f.clk.Now(), 0)
		if err != nil || n != 1 {
			t.Fatalf("activated %d (%v), want 1", n, err)
		}
		f.wantBal(f.member, 100, 0)
		n, err = f.led.ActivateDue(f.ctx, f.p.TenantID, f.clk.Now(), 0)
		if err != nil || n != 0 {
			t.Fatalf("second run activated %d (%v)", n, err)
		}
		_, err = f.spend(f.member, 100)
		must(t, err)
		f.check()
	})
}

func TestExpiryToBreakage(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "days:30"}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 100)
		f.clk.Advance(10 * 24 * time.Hour)
		f.earn(f.branch, 30)
		_, err := f.spend(f.branch, 40)
		must(t, err)
		bs, err := f.led.Balances(f.ctx, f.p, f.branch, 25*24*time.Hour)
		must(t, err)
		if b := bs[0]; b.ExpiringSoon != 60 || len(b.NextExpiries) != 2 || b.NextExpiries[0].Amount != 60 || !b.NextExpiries[0].At.Equal(t0.AddDate(0, 0, 30)) {
			t.Fatalf("expiring soon %d, next %+v", b.ExpiringSoon, b.NextExpiries)
		}
		f.clk.Advance(21 * 24 * time.Hour) // day 31: the first lot expired
		n, err := f.led.ExpireDue(f.ctx, f.p.TenantID, f.clk.Now(), 0)
		if err != nil || n != 1 {
			t.Fatalf("expired %d (%v), want 1", n, err)
		}
		f.wantBal(f.branch, 30, 0)
		if f.system(ledger.SysBreakage) != 60 {
			t.Fatalf("breakage %d, want 60", f.system(ledger.SysBreakage))
		}
		if n, _ := f.led.ExpireDue(f.ctx, f.p.TenantID, f.clk.Now(), 0); n != 0 {
			t.Fatalf("second run expired %d", n)
		}
		f.check()
	})
}

// A wallet may go below zero only as far as the point type allows, and new
// points repay the debt first.
func TestNegativeLimitAndDebt(t *testing.T) {
	each(t, ledger.PointTypeInput{NegativeLimit: 50}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 100)
		_, err := f.spend(f.branch, 140)
		must(t, err)
		f.wantBal(f.branch, -40, 0)
		_, err = f.spend(f.branch, 20)
		wantErr(t, err, errs.Conflict, "insufficient_points")
		e1 := f.earn(f.branch, 30)
		if e1.Lots[0].Remaining != 0 {
			t.Fatalf("a lot paying a debt keeps %d", e1.Lots[0].Remaining)
		}
		e2 := f.earn(f.branch, 25)
		if e2.Lots[0].Remaining != 15 {
			t.Fatalf("lot keeps %d after repaying 10, want 15", e2.Lots[0].Remaining)
		}
		f.wantBal(f.branch, 15, 0)
		f.check()
	})
}

func TestReversals(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "days:30"}, func(t *testing.T, f *fx) {
		e := f.earn(f.branch, 100)
		sp, err := f.spend(f.branch, 70)
		must(t, err)
		r, err := f.reverse(sp.ID)
		must(t, err)
		if r.ReversesID != sp.ID {
			t.Fatalf("reversal %+v", r)
		}
		f.wantBal(f.branch, 100, 0)
		_, err = f.reverse(sp.ID)
		wantErr(t, err, errs.Conflict, "already_reversed")
		_, err = f.reverse(r.ID)
		wantErr(t, err, errs.Invalid, "not_reversible")
		_, err = f.reverse("no-such-tx")
		wantErr(t, err, errs.NotFound, "")

		// An earn whose points were spent cannot be reversed…
		sp2, err := f.spend(f.branch, 10)
		must(t, err)
		_, err = f.reverse(e.ID)
		wantErr(t, err, errs.Conflict, "points_already_used")
		// …but once the spend is undone it can.
		_, err = f.reverse(sp2.ID)
		must(t, err)
		_, err = f.reverse(e.ID)
		must(t, err)
		f.wantBal(f.branch, 0, 0)
		if f.system(ledger.SysIssuance) != 0 || f.system(ledger.SysRedemption) != 0 {
			t.Fatal("system accounts not back to zero")
		}
		f.check()
	})
}

// Reversing a spend whose lot has expired since gives the points to
// breakage, not back to the wallet.
func TestReverseSpendOfExpiredLot(t *testing.T) {
	each(t, ledger.PointTypeInput{Expiry: "days:30"}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 100)
		sp, err := f.spend(f.branch, 60)
		must(t, err)
		f.clk.Advance(31 * 24 * time.Hour)
		_, err = f.led.ExpireDue(f.ctx, f.p.TenantID, f.clk.Now(), 0)
		must(t, err)
		_, err = f.reverse(sp.ID)
		must(t, err)
		f.wantBal(f.branch, 0, 0)
		if f.system(ledger.SysBreakage) != 100 {
			t.Fatalf("breakage %d, want 100", f.system(ledger.SysBreakage))
		}
		f.check()
	})
}

func TestTransfers(t *testing.T) {
	each(t, ledger.PointTypeInput{Transfers: []string{ledger.OrgToMember, ledger.BranchToHolding}, Expiry: "months:6"}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 100)
		tr, err := f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.branch, To: f.member, PointTypeID: f.pt.ID, Amount: 40, Reason: "bonus for Q1"})
		must(t, err)
		if len(tr.Lots) != 1 || !tr.Lots[0].ExpiresAt.Equal(t0.AddDate(0, 6, 0)) {
			t.Fatalf("transferred lots %+v should keep the source's expiry", tr.Lots)
		}
		f.wantBal(f.branch, 60, 0)
		f.wantBal(f.member, 40, 0)
		_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.branch, To: f.holding, PointTypeID: f.pt.ID, Amount: 60})
		must(t, err)
		_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.member, To: f.holding, PointTypeID: f.pt.ID, Amount: 1})
		wantErr(t, err, errs.Forbidden, "transfer_not_allowed")
		_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.holding, To: f.branch, PointTypeID: f.pt.ID, Amount: 1})
		wantErr(t, err, errs.Forbidden, "transfer_not_allowed")
		_, err = f.led.Transfer(f.ctx, f.p, ledger.TransferInput{IdemKey: f.key(), From: f.branch, To: f.member, PointTypeID: f.pt.ID, Amount: 1})
		wantErr(t, err, errs.Conflict, "insufficient_points")
		_, err = f.reverse(tr.ID)
		must(t, err)
		f.wantBal(f.member, 0, 0)
		f.wantBal(f.branch, 40, 0)
		f.check()
	})
}

func TestClawbackPolicies(t *testing.T) {
	each(t, ledger.PointTypeInput{NegativeLimit: 30}, func(t *testing.T, f *fx) {
		a := f.earn(f.branch, 100)
		f.earn(f.branch, 100)
		_, err := f.spend(f.branch, 150) // all of lot a, 50 of lot b
		must(t, err)
		claw := func(policy string, amount int64) ledger.Transaction {
			tr, err := f.led.Clawback(f.ctx, f.p, ledger.ClawbackInput{IdemKey: f.key(), LotID: a.Lots[0].ID, Amount: amount, Policy: policy})
			must(t, err)
			return tr
		}
		if tr := claw(ledger.ClawSourceOnly, 60); len(tr.Postings) != 0 {
			t.Fatalf("source_only took from a spent lot: %+v", tr.Postings)
		}
		f.wantBal(f.branch, 50, 0)
		claw(ledger.ClawOtherLots, 20)
		f.wantBal(f.branch, 30, 0)
		claw(ledger.ClawAllowNegative, 100) // down to the limit of -30, no further
		f.wantBal(f.branch, -30, 0)
		if f.system(ledger.SysIssuance) != -200+80 {
			t.Fatalf("issuance %d: the clawed back 80 go back to it", f.system(ledger.SysIssuance))
		}
		f.check()
	})
}

// A corrupted balance is found by the check.
func TestCheckFindsCorruption(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 100)
		f.check()
		must(t, f.app.DB.Exec(f.ctx, `UPDATE ledger_accounts SET available = available + 1 WHERE tenant_id = $1 AND id = $2`,
			f.p.TenantID, ledger.AccountID(f.pt.ID, f.branch.Type, f.branch.ID)))
		probs, err := f.led.Check(f.ctx, f.p.TenantID)
		must(t, err)
		kinds := map[string]bool{}
		for _, p := range probs {
			kinds[p.Kind] = true
		}
		if !kinds["balance_mismatch"] || !kinds["lots_vs_balance"] {
			t.Fatalf("check found %+v; want balance_mismatch and lots_vs_balance", probs)
		}
	})
}

func TestBadInput(t *testing.T) {
	each(t, ledger.PointTypeInput{}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 10)
		cases := []struct {
			name string
			err  error
			kind errs.Kind
		}{
			{"zero", earnErr(f, f.branch, f.pt.ID, 0, "z1"), errs.Invalid},
			{"negative", earnErr(f, f.branch, f.pt.ID, -5, "z2"), errs.Invalid},
			{"too large", earnErr(f, f.branch, f.pt.ID, ledger.MaxAmount+1, "z3"), errs.Invalid},
			{"unknown point type", earnErr(f, f.branch, "nope", 5, "z4"), errs.Invalid},
			{"unknown owner", earnErr(f, ledger.Owner{Type: ledger.OwnerOrganization, ID: "nope"}, f.pt.ID, 5, "z5"), errs.Invalid},
			{"bad owner type", earnErr(f, ledger.Owner{Type: "system", ID: "issuance"}, f.pt.ID, 5, "z6"), errs.Invalid},
			{"no idempotency key", earnErr(f, f.branch, f.pt.ID, 5, ""), errs.Invalid},
		}
		for _, c := range cases {
			if errs.KindOf(c.err) != c.kind {
				t.Errorf("%s: %v, want %s", c.name, c.err, c.kind)
			}
		}
		_, err := f.spend(f.branch, 11)
		wantErr(t, err, errs.Conflict, "insufficient_points")
		f.wantBal(f.branch, 10, 0)
		f.check()
		// A balance that would pass the maximum is refused, and nothing moves.
		must(t, f.app.DB.Exec(f.ctx, `UPDATE ledger_accounts SET available = $3 WHERE tenant_id = $1 AND id = $2`,
			f.p.TenantID, ledger.AccountID(f.pt.ID, f.branch.Type, f.branch.ID), ledger.MaxBalance-5))
		wantErr(t, earnErr(f, f.branch, f.pt.ID, 10, "z7"), errs.Invalid, "balance_too_large")
		if a, _ := f.bal(f.branch); a != ledger.MaxBalance-5 {
			t.Fatalf("balance changed to %d", a)
		}
	})
}

func earnErr(f *fx, o ledger.Owner, pt string, amount int64, key string) error {
	_, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: key, Owner: o, PointTypeID: pt, Amount: amount})
	return err
}

// Found by the property test: reversing a spend that went into debt, after
// later points repaid part of that debt, frees those points again.
func TestReverseDebtAfterPartialRepayment(t *testing.T) {
	each(t, ledger.PointTypeInput{NegativeLimit: 50}, func(t *testing.T, f *fx) {
		f.earn(f.branch, 1)
		sp, err := f.spend(f.branch, 4) // 1 from the lot, 3 into debt
		must(t, err)
		f.earn(f.branch, 1) // repays 1 of the debt
		f.wantBal(f.branch, -2, 0)
		_, err = f.reverse(sp.ID)
		must(t, err)
		f.wantBal(f.branch, 2, 0)
		f.check()
		_, err = f.spend(f.branch, 2)
		must(t, err)
		f.check()
	})
}
