package engine

import (
	"testing"
)

// TestPlanBenefits: a paid membership multiplies earned points after the
// tier and gives its discount in the quote, and rules see its code; without
// the plan (lapsed) nothing of it applies.
func TestPlanBenefits(t *testing.T) {
	p := compileDef(t, Definition{Rules: []Rule{
		{ID: "cashback", Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}},
		{ID: "pro-bonus", Condition: `"pro" in org.plans`, Effects: []Effect{{Type: EffectEarn, Fixed: 5}}},
	}})
	pro := Plan{Code: "pro", Name: "Pro", DiscountBP: 5000, EarnMultiplierBP: 20000}
	ev := invoice("INV-1", t0, ln("A", "tools", 4, 5000)) // 200.00

	member := dealer("org-1")
	member.Plans = []Plan{pro}
	out := evaluate(t, p, ProgramState{}, member, ev)
	wantEarns(t, out, pts{OwnerOrganization, 40}, pts{OwnerOrganization, 10})
	if got, want := out.Earns[0].Reason, "10% of 200.00 → 20 points, ×2 for Pro membership"; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	lapsed := evaluate(t, p, ProgramState{}, dealer("org-1"), ev)
	wantEarns(t, lapsed, pts{OwnerOrganization, 20})

	cart := Cart{Currency: p.Def.Currency, Lines: ev.Lines}
	q, err := Quote(p, ProgramState{}, member, cart, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Discount != 10000 || q.Total != 10000 {
		t.Errorf("Pro quote: discount %d total %d, want 100.00 off 200.00", q.Discount, q.Total)
	}
	q, err = Quote(p, ProgramState{}, dealer("org-1"), cart, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Discount != 0 {
		t.Errorf("without the plan: discount %d, want 0", q.Discount)
	}
}
