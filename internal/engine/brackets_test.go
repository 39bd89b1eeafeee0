package engine

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// yearSteps is "0% up to 40,000 a year, 3% to 120,000, 8% to 300,000, 15%
// above".
var yearSteps = []pricing.Step{{From: 4000000, PercentBP: 300}, {From: 12000000, PercentBP: 800}, {From: 30000000, PercentBP: 1500}}

// mixedCart is 200 tiles at 150.00, 1,000 bags at 45.00 and 25 tools at
// 1,000.00: 100,000.00.
func mixedCart() []Line {
	return []Line{ln("TILE", "tiles", 200, 15000), ln("BAG", "cement", 1000, 4500), ln("TOOL", "tools", 25, 100000)}
}

// TestAmountBracketsAsDiscount: the year's spend in scope is kept in the
// state; after 35,000.00 the mixed cart gets 3,600.00 off (80,000.00 at 3%
// and 15,000.00 at 8%, see pricing's TestAmountBrackets).
func TestAmountBracketsAsDiscount(t *testing.T) {
	p := compileDef(t, Definition{Discounts: []Discount{{Discount: pricing.Discount{ID: "year", Name: "Yearly volume",
		Kind: pricing.KindAmountBrackets, Steps: yearSteps}}}})
	out := evaluate(t, p, ProgramState{}, dealer("d1"), invoice("I-1", t0, ln("BAG", "cement", 7000, 500)))
	part := dealer("d1")
	part.OrgState = out.OrgState
	q, err := Quote(p, ProgramState{}, part, Cart{Currency: "EUR", Lines: mixedCart()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Discount != 360000 || q.Total != 9640000 {
		t.Fatalf("discount %d total %d (%+v)", q.Discount, q.Total, q.Refused)
	}
	// A new year starts from zero: of 100,000.00, 60,000.00 are above
	// 40,000.00, at 3%: 1,800.00.
	next, _ := Quote(p, ProgramState{}, part, Cart{Currency: "EUR", Lines: mixedCart()}, t0.AddDate(1, 0, 0))
	if next.Discount != 180000 {
		t.Errorf("next year: %d, want 1,800.00", next.Discount)
	}
}

// TestAmountBracketsAsPoints: the same brackets earn points (1 point =
// 1.00): 35,000.00 earns nothing, the mixed cart 3,600 points, a further
// 200,000.00 18,450 points (165,000 × 8% + 35,000 × 15%).
func TestAmountBracketsAsPoints(t *testing.T) {
	p := compileDef(t, Definition{Rules: []Rule{{ID: "vol", Effects: []Effect{{Type: EffectEarn, Brackets: yearSteps}}}}})
	part := dealer("d1")
	for _, c := range []struct {
		lines []Line
		want  int64
	}{
		{[]Line{ln("BAG", "cement", 7000, 500)}, 0},
		{mixedCart(), 3600},
		{[]Line{ln("TOOL", "tools", 200, 100000)}, 18450},
	} {
		out := evaluate(t, p, ProgramState{}, part, invoice("I", t0, c.lines...))
		if got := out.Points(); got != c.want {
			t.Fatalf("earned %d, want %d (rules %+v)", got, c.want, out.Rules)
		}
		part.OrgState = out.OrgState
	}
	out := evaluate(t, p, ProgramState{}, dealer("d2"), invoice("I", t0, mixedCart()...))
	if !strings.Contains(out.Rules[0].Reason, "3% of 60,000.00 (spend of the year 0.00–100,000.00) → 1,800 points") {
		t.Errorf("reason %q", out.Rules[0].Reason)
	}
	_, err := Compile("p", 1, t0, Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn,
		Brackets: []pricing.Step{{From: 100, PercentBP: 300}, {From: 50, PercentBP: 20000}}}}}}}, eur)
	got := fieldErrors(t, err)
	if got["rules[0].effects[0].brackets[1].from"] != "not_ascending" || got["rules[0].effects[0].brackets[1].percent_bp"] != "out_of_range" {
		t.Errorf("errors %v", got)
	}
}
