package engine

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// pairsCard is DOMAIN §8.9 with the free pair as a coupon: a stamp per
// pair, 10 stamps give a coupon for one free pair valid 90 days.
func pairsCard() Definition {
	return Definition{
		Stamps: &StampCard{Lines: `line.category == "pairs"`, PerUnit: true, Needed: 10,
			Reward: Effect{Type: EffectCoupon, RewardID: "free-pair"}},
		Coupons: []Coupon{{ID: "free-pair", Name: "A free pair", Kind: CouponFreeItem,
			Scope: pricing.Scope{Categories: []string{"pairs"}}, ValidDays: 90}},
	}
}

// TestStampCardIssuesCoupon: the full card grants the coupon with its
// benefit and end of validity, and the standing counts completed cards.
func TestStampCardIssuesCoupon(t *testing.T) {
	p := compileDef(t, pairsCard())
	part := dealer("d1")
	// 23 pairs: two full cards (20 stamps), 3 stamps left.
	out := evaluate(t, p, ProgramState{}, part, invoice("I-1", t0, ln("BOOT", "pairs", 23, 9000)))
	if out.Stamps == nil || out.Stamps.Completed != 2 || out.Stamps.Total != 3 || len(out.Rewards) != 2 {
		t.Fatalf("stamps %+v rewards %+v", out.Stamps, out.Rewards)
	}
	g := out.Rewards[0]
	want := t0.AddDate(0, 0, 90)
	if g.Coupon == nil || g.Coupon.Kind != CouponFreeItem || g.Name != "A free pair" || g.ExpiresAt == nil || !g.ExpiresAt.Equal(want) {
		t.Fatalf("grant %+v, want the free-pair coupon valid until %s", g, want)
	}
	st := Status(p, out.OrgState, t0)
	if st.Stamps == nil || st.Stamps.Completed != 2 || st.Stamps.Total != 3 {
		t.Fatalf("standing stamps %+v, want 2 cards completed and 3 stamps", st.Stamps)
	}
}

// TestQuoteAppliesCoupons: the 11th pair at 90.00 is free next to laces
// at 3.00 (total 3.00); "10% off the next order" takes 125.00 off
// 1,250.00; a free-pair coupon on a cart without pairs is refused.
func TestQuoteAppliesCoupons(t *testing.T) {
	def := pairsCard()
	def.Stacking = pricing.Additive
	def.Coupons = append(def.Coupons, Coupon{ID: "next10", Name: "10% off the next order", Kind: CouponPercent, PercentBP: 1000})
	p := compileDef(t, def)
	free := CouponUse{ID: "c1", Benefit: def.Coupons[0]}
	ten := CouponUse{ID: "c2", Benefit: def.Coupons[1]}
	cart := Cart{Currency: "EUR", Lines: []Line{ln("BOOT", "pairs", 2, 9000), ln("LACES", "laces", 1, 300)}, Coupons: []CouponUse{free}}
	q, err := Quote(p, ProgramState{}, dealer("d1"), cart, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Subtotal != 18300 || q.Discount != 9000 || q.Total != 9300 || q.Lines[0].Discount != 9000 {
		t.Fatalf("free pair: %+v", q)
	}
	cart = Cart{Currency: "EUR", Lines: []Line{ln("CEM", "cement", 10, 12500)}, Coupons: []CouponUse{ten, free}}
	q, err = Quote(p, ProgramState{}, dealer("d1"), cart, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Discount != 12500 || q.Total != 112500 || len(q.Refused) != 1 || q.Refused[0].DiscountID != "coupon:c1" {
		t.Fatalf("10%% coupon: discount %d total %d refused %+v", q.Discount, q.Total, q.Refused)
	}
}

// TestCouponDefinitionErrors: bad coupons and effects naming an unknown
// coupon are refused at save, each under its field.
func TestCouponDefinitionErrors(t *testing.T) {
	def := Definition{Currency: "EUR",
		Rules:   []Rule{{ID: "r", Effects: []Effect{{Type: EffectCoupon, RewardID: "nope"}}}},
		Coupons: []Coupon{{ID: "a", Kind: "gift"}, {ID: "a", Kind: CouponPercent, PercentBP: 20000}, {ID: "b", Kind: CouponFreeItem, ValidDays: -1, OnReturn: "later"}},
	}
	_, err := Compile("p", 1, t0, def, eur)
	got := fieldErrors(t, err)
	want := map[string]string{
		"coupons[0].kind": "invalid_choice", "coupons[1].id": "duplicate", "coupons[1].percent_bp": "out_of_range",
		"coupons[2].scope": "required", "coupons[2].valid_days": "out_of_range", "coupons[2].on_return": "invalid_choice",
		"rules[0].effects[0].reward_id": "unknown_coupon",
	}
	for f, code := range want {
		if got[f] != code {
			t.Errorf("%s: %q, want %q (all %v)", f, got[f], code, got)
		}
	}
}
