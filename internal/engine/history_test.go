package engine

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// TestSeedFromHistory: a program counting all history starts an
// organization's state from what it bought before: 8,000.00 in January,
// 4,500.00 net in February. On 10 March: last month 4,500.00 (the
// previous-month 5%), the year 12,500.00 (Silver from 10,000.00), the
// lifetime 12,500.00 (the lifetime 2% from 10,000.00).
func TestSeedFromHistory(t *testing.T) {
	def := Definition{History: HistoryAll, Discounts: []Discount{
		{Discount: pricing.Discount{ID: "prev", Kind: KindCumulative, Steps: []pricing.Step{{From: 100000, PercentBP: 300}, {From: 400000, PercentBP: 500}}}, Basis: "previous_month"},
		{Discount: pricing.Discount{ID: "life", Kind: KindCumulative, Steps: []pricing.Step{{From: 1000000, PercentBP: 200}}}, Basis: "lifetime"},
	}, Tiers: &Tiers{Metric: "spend", Window: "calendar_year", Review: "year", Levels: []Level{{Code: "base"}, {Code: "silver", Threshold: 1000000}}}}
	p := compileDef(t, def)
	var h History
	h.Add(time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), 800000, 8, 1)
	h.Add(time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), 500000, 5, 1)
	h.Add(time.Date(2026, 2, 21, 0, 0, 0, 0, time.UTC), 50000, 1, -1)
	at := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	if !p.NeedsHistory(State{}) {
		t.Fatal("a fresh state of an all-history program needs history")
	}
	st := Seed(p, State{}, h, at)
	if p.NeedsHistory(st) || st.Tier != "silver" || st.Lifetime.Spend != 1250000 || st.Lifetime.Orders != 2 || st.Levels["life"] != 1 {
		t.Fatalf("seeded %+v", st)
	}
	s := Status(p, st, at)
	if s.Discounts[0].PercentBP != 500 || s.Discounts[1].PercentBP != 200 || s.Tier.Value != 1250000 {
		t.Errorf("standing %+v %+v", s.Discounts, s.Tier)
	}
	def.History = ""
	if compileDef(t, def).NeedsHistory(State{}) {
		t.Error("a program counting from its start needs no history")
	}
}
