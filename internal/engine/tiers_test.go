package engine

import (
	"reflect"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// tiered is a program earning 10% with base, silver (from 10,000.00 over
// the calendar year, ×1.5) and gold (from 50,000.00, ×2).
func tiered(t *testing.T, window, review string, grace int) *Program {
	return compileDef(t, Definition{
		Rules: []Rule{{ID: "cashback", Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}}},
		Tiers: &Tiers{Metric: "spend", Window: window, Review: review, GracePeriods: grace, Levels: []Level{
			{Code: "base", Name: "Base"},
			{Code: "silver", Name: "Silver", Threshold: 1_000_000, EarnMultiplierBP: 15000},
			{Code: "gold", Name: "Gold", Threshold: 5_000_000, EarnMultiplierBP: 20000},
		}},
	})
}

// spent returns a state enrolled long ago with the given spend per month.
func spent(tier string, months map[string]int64) State {
	enrolled := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s := State{EnrolledAt: &enrolled, Tier: tier, Months: Months{}}
	for k, v := range months {
		*s.Months.at(mustMonthKey(k)) = Month{Spend: v, Orders: 1}
		s.Lifetime.Spend += v
		s.Lifetime.Orders++
	}
	return s
}

// TestTierMultiplier: DOMAIN §8.10, Silver earns 50% more than the base
// level on the same purchase.
func TestTierMultiplier(t *testing.T) {
	p := tiered(t, "calendar_year", "year", 0)
	ev := invoice("INV-1", t0, ln("A", "tools", 4, 5000)) // 200.00
	cases := []struct {
		tier string
		want int64
		why  string
	}{
		{"", 20, "10% of 200.00 → 20 points"},
		{"base", 20, "10% of 200.00 → 20 points"},
		{"silver", 30, "10% of 200.00 → 20 points, ×1.5 for tier Silver"},
		{"gold", 40, "10% of 200.00 → 20 points, ×2 for tier Gold"},
		{"unknown", 20, "10% of 200.00 → 20 points"},
	}
	for _, c := range cases {
		part := dealer("org-1")
		part.OrgState = spent(c.tier, map[string]int64{"2026-01": 6_000_000})
		out := evaluate(t, p, ProgramState{}, part, ev)
		wantEarns(t, out, pts{OwnerOrganization, c.want})
		if out.Earns[0].Reason != c.why {
			t.Errorf("tier %q: reason %q, want %q", c.tier, out.Earns[0].Reason, c.why)
		}
		if c.tier == "silver" || c.tier == "base" || c.tier == "" {
			// 60,000.00 this year reaches gold on this purchase.
			if out.Tier == nil || out.Tier.To != "gold" || out.OrgState.Tier != "gold" {
				t.Errorf("tier %q: no move to gold: %+v", c.tier, out.Tier)
			}
		}
	}
}

// TestTierUpgrade: the purchase that reaches a threshold moves the
// organization up at once and earns at the level it had; the next earns
// at the new level.
func TestTierUpgrade(t *testing.T) {
	p := tiered(t, "calendar_year", "year", 0)
	part := dealer("org-1")
	part.OrgState = spent("base", map[string]int64{"2026-03": 990_000, "2025-12": 5_000_000}) // last year's spend does not count
	out := evaluate(t, p, ProgramState{}, part, invoice("INV-1", t0, ln("A", "tools", 4, 5000)))
	wantEarns(t, out, pts{OwnerOrganization, 20})
	want := &TierMove{From: "base", To: "silver", Reason: "spend over the calendar year reached 10,100.00 (threshold of 10,000.00)"}
	if !reflect.DeepEqual(out.Tier, want) || out.OrgState.Tier != "silver" || !out.OrgState.TierSince.Equal(t0) {
		t.Fatalf("tier move %+v, state %q since %v", out.Tier, out.OrgState.Tier, out.OrgState.TierSince)
	}
	part.OrgState = out.OrgState
	out = evaluate(t, p, ProgramState{}, part, invoice("INV-2", t0.Add(time.Hour), ln("A", "tools", 4, 5000)))
	wantEarns(t, out, pts{OwnerOrganization, 30})
	if out.Tier != nil {
		t.Fatalf("moved again: %+v", out.Tier)
	}
	// Months and lifetime totals count the purchases.
	if m, ok := out.OrgState.Months.Get("2026-11"); !ok || m != (Month{Spend: 40000, Quantity: 8, Orders: 2, Points: 50}) {
		t.Fatalf("month totals %+v", m)
	}
}

// TestReviewGraceAndDowngrade: below its threshold a level survives the
// grace periods, then drops one level per review; requalifying resets the
// grace.
func TestReviewGraceAndDowngrade(t *testing.T) {
	p := tiered(t, "rolling_12_months", "month", 2)
	part := dealer("org-1")
	// 2,000.00 over the last 12 months: base level, while the state says gold.
	part.OrgState = spent("gold", map[string]int64{"2026-06": 200_000})
	type step struct {
		at    time.Time
		tier  string
		grace int
		move  *TierMove
		notes int
	}
	steps := []step{
		{time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC), "gold", 1, nil, 1},
		{time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), "gold", 2, nil, 1},
		{time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC), "silver", 0, &TierMove{From: "gold", To: "silver",
			Reason: "did not requalify for period 2026-12: spend 2,000.00 is below 50,000.00; down one level"}, 0},
		{time.Date(2027, 2, 1, 3, 0, 0, 0, time.UTC), "silver", 1, nil, 1},
	}
	for i, s := range steps {
		out, err := Review(p, ProgramState{}, part, s.at)
		if err != nil {
			t.Fatal(err)
		}
		st := out.OrgState
		if st.Tier != s.tier || st.Grace != s.grace || !reflect.DeepEqual(out.Tier, s.move) || len(out.Notes) != s.notes {
			t.Fatalf("review %d at %s: tier %q grace %d move %+v notes %q, want %q %d %+v", i, s.at, st.Tier, st.Grace, out.Tier, out.Notes, s.tier, s.grace, s.move)
		}
		if i == 0 && out.Notes[0] != "tier Gold at risk: spend 2,000.00 in period 2026-10 is below 50,000.00; grace period 1 of 2" {
			t.Fatalf("note %q", out.Notes[0])
		}
		if s.move != nil && !st.TierSince.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("tier since %v", st.TierSince)
		}
		part.OrgState = st
	}
	// Spending enough again requalifies and resets the grace.
	*part.OrgState.Months.at(monthNum(2027, time.February)) = Month{Spend: 1_500_000}
	out, err := Review(p, ProgramState{}, part, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if out.OrgState.Tier != "silver" || out.OrgState.Grace != 0 || out.Tier != nil || len(out.Notes) != 0 {
		t.Fatalf("requalified: tier %q grace %d move %+v notes %q", out.OrgState.Tier, out.OrgState.Grace, out.Tier, out.Notes)
	}
}

// TestReviewIdempotent: reviewing twice in one period changes nothing more.
func TestReviewIdempotent(t *testing.T) {
	p := compileDef(t, Definition{
		Tiers: &Tiers{Metric: "spend", Window: "calendar_year", Review: "month", Levels: []Level{
			{Code: "base"}, {Code: "silver", Threshold: 1_000_000}, {Code: "gold", Threshold: 5_000_000}}},
		PeriodBonus: &PeriodBonus{Steps: []pricing.Step{{From: 0, PercentBP: 300}}},
	})
	part := dealer("org-1")
	part.OrgState = spent("base", map[string]int64{"2026-10": 6_000_000})
	at := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	first, err := Review(p, ProgramState{}, part, at)
	if err != nil {
		t.Fatal(err)
	}
	if first.Tier == nil || first.Tier.To != "gold" || first.OrgState.Reviewed != "2026-10" || first.OrgState.Bonused != "2026-10" {
		t.Fatalf("first review: %+v reviewed %q bonused %q", first.Tier, first.OrgState.Reviewed, first.OrgState.Bonused)
	}
	wantEarns(t, first, pts{OwnerOrganization, 1800}) // 3% of 60,000.00
	part.OrgState = first.OrgState
	before := snapshot(t, part.OrgState)
	for _, later := range []time.Time{at, at.Add(time.Hour), time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC)} {
		again, err := Review(p, ProgramState{}, part, later)
		if err != nil {
			t.Fatal(err)
		}
		if again.Tier != nil || len(again.Earns) != 0 || len(again.Notes) != 0 || !reflect.DeepEqual(again.OrgState, part.OrgState) {
			t.Fatalf("second review at %s changed something: %+v", later, again)
		}
	}
	if snapshot(t, part.OrgState) != before {
		t.Fatal("Review changed its input")
	}
}

// TestReviewPreviousMonthWindow: with a previous-month window the review
// of a month looks at that month's spend (the month just ended), as a
// purchase during the next month does.
func TestReviewPreviousMonthWindow(t *testing.T) {
	p := tiered(t, "previous_month", "month", 0)
	part := dealer("org-1")
	part.OrgState = spent("base", map[string]int64{"2026-10": 1_200_000}) // silver spend in October
	out, err := Review(p, ProgramState{}, part, time.Date(2026, 11, 1, 0, 5, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if out.OrgState.Tier != "silver" || out.Tier == nil {
		t.Fatalf("after October's 12,000.00 the tier is %q (%+v), want silver", out.OrgState.Tier, out.Tier)
	}
	// A purchase in November sees the same window: October.
	ev := evaluate(t, p, ProgramState{}, part, invoice("INV-1", time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), ln("A", "tools", 1, 100)))
	if ev.OrgState.Tier != "silver" {
		t.Fatalf("a November purchase sees tier %q, want silver", ev.OrgState.Tier)
	}
	// October's spend does not keep the level through December's review
	// of November, which had none.
	part.OrgState = out.OrgState
	out, err = Review(p, ProgramState{}, part, time.Date(2026, 12, 1, 0, 5, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if out.OrgState.Tier != "base" {
		t.Fatalf("after a November without spend the tier is %q, want base", out.OrgState.Tier)
	}
}

// TestPeriodBonus: DOMAIN §8.6, last month's spend up to 1,000 gives 3%,
// 1,000–1,500 10%, from 1,500 15%: 5,000.00 last month → 750 points at
// 1.00 per point, available at once and expiring when this month ends.
func TestPeriodBonus(t *testing.T) {
	p := compileDef(t, Definition{PeriodBonus: &PeriodBonus{Steps: []pricing.Step{
		{From: 0, PercentBP: 300}, {From: 100_000, PercentBP: 1000}, {From: 150_000, PercentBP: 1500}}}})
	cases := []struct {
		spend int64
		want  int64
	}{
		{500_000, 750},
		{150_000, 225},
		{149_999, 149},
		{100_000, 100},
		{99_999, 29},
		{3_333, 0}, // 3% of 33.33 is less than a point
		{0, 0},
	}
	at := time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	for _, c := range cases {
		part := dealer("org-1")
		part.OrgState = spent("", map[string]int64{"2026-11": c.spend, "2026-10": 900_000})
		out, err := Review(p, ProgramState{}, part, at)
		if err != nil {
			t.Fatal(err)
		}
		if c.want == 0 {
			if len(out.Earns) != 0 {
				t.Errorf("spend %d: earns %+v", c.spend, out.Earns)
			}
			continue
		}
		wantEarns(t, out, pts{OwnerOrganization, c.want})
		e := out.Earns[0]
		start, end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		if e.OwnerID != "org-1" || e.RuleID != "period_bonus" || !e.AvailableAt.Equal(start) || !e.ExpiresAt.Equal(end) {
			t.Errorf("spend %d: earn %+v, want available %s expiring %s", c.spend, e, start, end)
		}
		if c.spend == 500_000 && e.Reason != "15% of 5,000.00 spent in 2026-11; spend by 2026-12-31" {
			t.Errorf("reason %q", e.Reason)
		}
	}
	// Not enrolled before the month began: nothing yet.
	part := dealer("org-1")
	part.OrgState = spent("", map[string]int64{"2026-11": 500_000})
	late := time.Date(2026, 12, 1, 0, 0, 0, 1, time.UTC)
	part.OrgState.EnrolledAt = &late
	if out, _ := Review(p, ProgramState{}, part, at); len(out.Earns) != 0 {
		t.Fatalf("an organization enrolled this month got %+v", out.Earns)
	}
	if NextDue(p, at) != time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("next due %v", NextDue(p, at))
	}
}

// TestStampCard: DOMAIN §8.9, ten stamps give a free pair; the card
// restarts with what is left over.
func TestStampCard(t *testing.T) {
	p := compileDef(t, Definition{Stamps: &StampCard{Lines: `line.category == "shoes"`, PerUnit: true, Needed: 10,
		Reward: Effect{Type: EffectReward, RewardID: "pair", Name: "Free pair"}}})
	part := dealer("org-1")
	part.OrgState.Stamps = 8
	out := evaluate(t, p, ProgramState{}, part, invoice("INV-1", t0, ln("S-1", "shoes", 3, 5000), ln("X", "socks", 4, 500)))
	if *out.Stamps != (Stamps{Added: 3, Total: 1, Completed: 1, Needed: 10}) || out.OrgState.Stamps != 1 {
		t.Fatalf("stamps %+v state %d", out.Stamps, out.OrgState.Stamps)
	}
	if len(out.Rewards) != 1 || out.Rewards[0].RewardID != "pair" || out.Rewards[0].Reason != "stamp card full: 10 stamps" {
		t.Fatalf("rewards %+v", out.Rewards)
	}
}

// TestCumulativeStepDown: a lifetime cumulative rate steps down a level
// per StepDownDays without an order; a time before the last order (an
// event dated ahead, events out of order) steps nothing, up or down.
func TestCumulativeStepDown(t *testing.T) {
	p := compileDef(t, Definition{Discounts: []Discount{{Discount: pricing.Discount{ID: "cum", Name: "Loyalty", Kind: KindCumulative,
		Steps: []pricing.Step{{From: 100_000, PercentBP: 300}, {From: 500_000, PercentBP: 700}}}, Basis: "lifetime", StepDownDays: 1}}})
	part := dealer("org-1")
	last := t0.Add(36 * time.Hour) // an invoice dated ahead of the clock
	part.OrgState.LastOrder = &last
	part.OrgState.Levels, part.OrgState.Accum = map[string]int{"cum": 2}, map[string]int64{"cum": 600_000}
	lines := []Line{{SKU: "A", Qty: 1, UnitPrice: 10_000}}
	for _, c := range []struct {
		at   time.Time
		want int64 // discount on 100.00
	}{
		{t0, 700},                       // before the last order
		{last.Add(23 * time.Hour), 700}, // less than a day after
		{last.Add(24 * time.Hour), 300}, // one day: down a step
		{last.Add(72 * time.Hour), 0},   // three days: no rate left
	} {
		q, err := Quote(p, ProgramState{}, part, Cart{Currency: "EUR", Lines: lines}, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if q.Discount != c.want {
			t.Fatalf("at %s: discount %d, want %d (%+v)", c.at, q.Discount, c.want, q.Applied)
		}
	}
	// An event before the last order does not store a step-down either.
	out := evaluate(t, p, ProgramState{}, part, invoice("INV-0", t0.AddDate(0, 0, -10), ln("A", "tools", 1, 100)))
	if out.OrgState.Levels["cum"] != 2 || out.OrgState.LastStep != nil {
		t.Fatalf("levels %v, last step %v", out.OrgState.Levels, out.OrgState.LastStep)
	}
}

// The period bonus counts against the program's budget like any earn.
func TestPeriodBonusWithinBudget(t *testing.T) {
	p := compileDef(t, Definition{Budget: 1000, PeriodBonus: &PeriodBonus{Steps: []pricing.Step{{From: 0, PercentBP: 1500}}}})
	part := dealer("org-1")
	part.OrgState = spent("", map[string]int64{"2026-11": 500_000})
	out, err := Review(p, ProgramState{Issued: 500}, part, time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	wantEarns(t, out, pts{OwnerOrganization, 500})
	if out.ProgramState.Issued != 1000 || len(out.Notes) != 1 || out.Notes[0] != "program budget of 1000 points exhausted: 500 of 750 points given" {
		t.Fatalf("program state %+v, notes %q", out.ProgramState, out.Notes)
	}
}
