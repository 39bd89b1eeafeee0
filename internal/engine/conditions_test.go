package engine

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// TestConditionalDiscounts: each discount applies only when its condition
// holds, and the quote names the condition that failed.
//
// Worked example (additive, t0 = Tuesday 10 November 2026, a dealer in
// the north, a sales rep born in November): of 1,000.00, the birthday-month
// 10%, the northern 5% and November's 3% apply: 180.00 off, 820.00 to pay;
// Monday's 2%, the key-account segment's 4% and the foremen's 1% do not.
func TestConditionalDiscounts(t *testing.T) {
	pct := func(id string, bp int64, cond string) Discount {
		return Discount{Discount: pricing.Discount{ID: id, Kind: pricing.KindPercent, PercentBP: bp}, Condition: cond}
	}
	p := compileDef(t, Definition{Stacking: pricing.Additive, Discounts: []Discount{
		pct("birthday", 1000, `member.birth_month == now.getMonth() + 1`),
		pct("north", 500, `org.region == "north"`),
		pct("november", 300, `now >= timestamp("2026-11-01T00:00:00Z") && now < timestamp("2026-12-01T00:00:00Z")`),
		pct("monday", 200, `now.getDayOfWeek() == 1`),
		pct("key", 400, `"key-account" in org.segments`),
		pct("foremen", 100, `member.role == "foreman"`),
	}})
	part := withMember(dealer("d1"), "m1", "sales", true)
	part.Member.BirthMonth = 11
	part.Segments = []string{"pilot"}
	cart := Cart{Currency: "EUR", Lines: []Line{ln("CEM", "cement", 8, 12500)}}
	q, err := Quote(p, ProgramState{}, part, cart, t0)
	if err != nil {
		t.Fatal(err)
	}
	if q.Discount != 18000 || q.Total != 82000 || len(q.Applied) != 3 {
		t.Fatalf("discount %d total %d applied %+v", q.Discount, q.Total, q.Applied)
	}
	want := map[string]string{
		"monday":  `condition not met: now.getDayOfWeek() == 1`,
		"key":     `condition not met: "key-account" in org.segments`,
		"foremen": `condition not met: member.role == "foreman"`,
	}
	for _, r := range q.Refused {
		if want[r.DiscountID] != r.Reason {
			t.Errorf("%s refused with %q, want %q", r.DiscountID, r.Reason, want[r.DiscountID])
		}
		delete(want, r.DiscountID)
	}
	if len(want) != 0 {
		t.Errorf("not refused: %v", want)
	}
	// Without a member, or in March, the birthday discount is refused.
	part.Member.BirthMonth = 3
	q, _ = Quote(p, ProgramState{}, part, cart, t0)
	if q.Discount != 8000 {
		t.Errorf("born in March: discount %d, want 80.00 (north 5%% + November 3%%)", q.Discount)
	}
}

// TestDiscountConditionErrors: a misspelt field is refused at save with
// its position; a condition that is not a bool too.
func TestDiscountConditionErrors(t *testing.T) {
	d := func(cond string) Discount {
		return Discount{Discount: pricing.Discount{ID: "x", Kind: pricing.KindPercent, PercentBP: 100}, Condition: cond}
	}
	_, err := Compile("p", 1, t0, Definition{Currency: "EUR", Discounts: []Discount{d(`member.birthmonth == 3`), d(`org.region`)}}, eur)
	got := fieldErrors(t, err)
	if got["discounts[0].condition"] != "rule_invalid" || got["discounts[1].condition"] != "rule_invalid" {
		t.Fatalf("errors %v", got)
	}
	if m := fieldMessage(err, "discounts[0].condition"); !strings.Contains(m, "line 1, column 7") || !strings.Contains(m, "birthmonth") {
		t.Errorf("message %q does not point at birthmonth", m)
	}
	if m := fieldMessage(err, "discounts[1].condition"); !strings.Contains(m, "bool") {
		t.Errorf("message %q does not say it must be a bool", m)
	}
}
