package engine

import (
	"testing"
	"time"
)

// TestGrantedTier: an invitation-only level is never reached by the
// metric and is granted by hand; a grant holds against reviews and ends
// exactly at its end; a downgrade passes over invitation-only levels.
func TestGrantedTier(t *testing.T) {
	p := compileDef(t, Definition{Tiers: &Tiers{Metric: "spend", Window: "calendar_year", Review: "month", Levels: []Level{
		{Code: "base"}, {Code: "silver", Threshold: 1000000}, {Code: "partner", InvitationOnly: true, Perks: []string{"summit seat"}},
		{Code: "gold", Threshold: 5000000}}}})
	part := dealer("d1")
	// 60,000.00 this year: gold, never partner.
	out := evaluate(t, p, ProgramState{}, part, invoice("I-1", t0, ln("A", "a", 1, 6000000)))
	if out.OrgState.Tier != "gold" {
		t.Fatalf("tier %q, want gold", out.OrgState.Tier)
	}
	part.OrgState = State{EnrolledAt: part.OrgState.EnrolledAt}
	part.OrgState.add(t0, Month{Spend: 1200000, Orders: 1})
	part.OrgState.Tier = "silver"
	until := t0.AddDate(0, 2, 0)
	st, mv, err := GrantTier(p, part.OrgState, "partner", &until, "Strategic", "staff-1", t0)
	if err != nil || st.Tier != "partner" || mv.From != "silver" || st.TierOverride.Previous != "silver" {
		t.Fatalf("grant: %+v %+v %v", st, mv, err)
	}
	// December's review: the metric holds silver only, the grant stands.
	part.OrgState = st
	rv, err := Review(p, ProgramState{}, part, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || rv.OrgState.Tier != "partner" {
		t.Fatalf("review during the grant: %q %v", rv.OrgState.Tier, err)
	}
	// From its end the quote sees silver, before any review.
	q, err := Quote(p, ProgramState{}, part, Cart{Currency: "EUR", Lines: []Line{ln("A", "a", 1, 100)}}, until)
	if err != nil || q.Tier != "silver" {
		t.Fatalf("quote at the end: %q %v", q.Tier, err)
	}
	if s := Status(p, part.OrgState, t0); s.Tier.Override == nil || s.Tier.Next.Code != "gold" || len(s.Tier.Level.Perks) != 1 {
		t.Errorf("standing during the grant: %+v", s.Tier)
	}
	// A gold participant below its threshold drops past partner to silver.
	part.OrgState = State{EnrolledAt: part.OrgState.EnrolledAt, Tier: "gold"}
	part.OrgState.add(time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), Month{Spend: 1200000})
	rv, _ = Review(p, ProgramState{}, part, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if rv.OrgState.Tier != "silver" {
		t.Errorf("down from gold: %q, want silver (partner is by invitation)", rv.OrgState.Tier)
	}
	if _, _, err := GrantTier(p, part.OrgState, "platinum", nil, "x", "s", t0); fieldErrors(t, err)["level"] != "unknown_level" {
		t.Errorf("unknown level: %v", err)
	}
}
