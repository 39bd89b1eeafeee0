package engine

import (
	"reflect"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// richProgram uses every part of the engine that keeps state: the bench
// program's rules and tiers, plus caps of every kind, a budget, employees,
// a card, a cumulative discount and volume brackets.
func richProgram(t *testing.T) *Program {
	p := benchProgram(t)
	def := p.Def
	def.Beneficiary = ToBoth
	def.Budget = 1_000_000
	def.Employees = &Employees{Excluded: []string{"accountant"}, CapPoints: 80, CapPeriod: "month"}
	def.Rules = append(append([]Rule{}, def.Rules...), Rule{ID: "capped", Priority: 65, Effects: []Effect{{Type: EffectEarn, Fixed: 40}},
		Caps: []Cap{{Per: "organization", Period: "day", Points: 60}, {Per: "member", Period: "quarter", Points: 30}}})
	def.Rules = append(def.Rules, Rule{ID: "rulecap", Priority: 66, Effects: []Effect{{Type: EffectEarn, PerUnit: 1}}, Caps: []Cap{{Per: "rule", Period: "year", Points: 1000}}})
	def.Discounts = []Discount{
		{Discount: pricing.Discount{ID: "card", Kind: KindCard, PercentBP: 500}, EntryThreshold: 10_000},
		{Discount: pricing.Discount{ID: "cumulative", Kind: KindCumulative, Steps: []pricing.Step{{From: 100_000, PercentBP: 200}, {From: 1_000_000, PercentBP: 500}}},
			Basis: "lifetime", StepDownDays: 60},
		{Discount: pricing.Discount{ID: "packs", Kind: pricing.KindQuantityBrackets, Scope: pricing.Scope{Categories: []string{"fasteners"}},
			Steps: []pricing.Step{{From: 1, PercentBP: 0}, {From: 101, PercentBP: 500}}}},
	}
	return compileDef(t, def)
}

// TestDeterminism: the same inputs give identical outcomes, and the
// inputs are not changed.
func TestDeterminism(t *testing.T) {
	p := richProgram(t)
	parts := benchParticipants(12)
	for i := range parts {
		parts[i] = withMember(parts[i], "m-1", []string{"sales", "accountant"}[i%2], i%3 != 0)
		parts[i].OrgState.Caps = map[string]int64{"rule:capped:organization:2026-11-10": 20}
		parts[i].OrgState.Cards = map[string]bool{}
		parts[i].OrgState.Levels = map[string]int{"cumulative": 1}
		parts[i].OrgState.Accum = map[string]int64{"cumulative": 150_000}
		last := t0.AddDate(0, -3, 0)
		parts[i].OrgState.LastOrder = &last
		parts[i].OrgState.Stamps = 19
		parts[i].MemberState = State{Caps: map[string]int64{"person:month:2026-11": 50}, Months: monthsOf(map[string]Month{"2026-11": {Points: 50}})}
	}
	ps := ProgramState{Issued: 999_900, Caps: map[string]int64{"rule:rulecap:rule:2026": 990}}
	for i, ev := range benchEvents(24) {
		part := parts[i%len(parts)]
		before := snapshot(t, []any{part.OrgState, part.MemberState, ps, *ev, part.Org, *part.Member})
		a, errA := Evaluate(p, ps, part, ev)
		b, errB := Evaluate(p, ps, part, ev)
		if errA != nil || errB != nil {
			t.Fatalf("event %d: %v / %v", i, errA, errB)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("event %d: two evaluations differ:\n%+v\n%+v", i, a, b)
		}
		if after := snapshot(t, []any{part.OrgState, part.MemberState, ps, *ev, part.Org, *part.Member}); after != before {
			t.Fatalf("event %d: Evaluate changed its inputs:\n%s\n%s", i, before, after)
		}
		// Changing the outcome's states leaves the inputs alone too.
		for i := range a.OrgState.Months {
			a.OrgState.Months[i].Spend = -1
		}
		a.OrgState.add(t0.AddDate(0, 1, 0), Month{Spend: 1}) // a month added: the input's months stay as they were
		a.OrgState.Caps["x"], a.MemberState.Caps["x"], a.OrgState.Counters["x"] = 1, 1, 1
		if a.ProgramState.Caps != nil {
			a.ProgramState.Caps["x"] = 1
		}
		if after := snapshot(t, []any{part.OrgState, part.MemberState, ps, *ev, part.Org, *part.Member}); after != before {
			t.Fatalf("event %d: the outcome shares state with the inputs", i)
		}
		if i == 0 && (len(a.Earns) == 0 || a.Stamps == nil || len(a.Notes) == 0) {
			t.Fatalf("the rich program did little: %+v", a)
		}
	}
	// Quotes and reviews are deterministic too.
	part := parts[1]
	cart := Cart{Currency: "EUR", Lines: benchEvents(1)[0].Lines, PointsToSpend: 10, Balance: 10}
	q1, err1 := Quote(p, ps, part, cart, t0)
	q2, err2 := Quote(p, ps, part, cart, t0)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(q1, q2) {
		t.Fatalf("quotes differ: %v %v", err1, err2)
	}
	r1, err1 := Review(p, ProgramState{}, part, t0.Add(30*24*time.Hour))
	r2, err2 := Review(p, ProgramState{}, part, t0.Add(30*24*time.Hour))
	if err1 != nil || err2 != nil || !reflect.DeepEqual(r1, r2) {
		t.Fatalf("reviews differ: %v %v", err1, err2)
	}
}

// TestMultipliersInReasons: a multiply applies to the points earned
// before it, the tier multiplier to all; each reason lists them in order.
func TestMultipliersInReasons(t *testing.T) {
	p := compileDef(t, Definition{
		Rules: []Rule{
			{ID: "base", Priority: 1, Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}},
			{ID: "double", Priority: 2, Effects: []Effect{{Type: EffectMultiply, FactorBP: 20000}}},
			{ID: "late", Priority: 3, Effects: []Effect{{Type: EffectEarn, Fixed: 5}}},
		},
		Tiers: &Tiers{Metric: "spend", Window: "lifetime", Review: "year", Levels: []Level{{Code: "base"}, {Code: "silver", Name: "Silver", Threshold: 100, EarnMultiplierBP: 15000}}},
	})
	part := dealer("org-1")
	part.OrgState.Tier = "silver"
	out := evaluate(t, p, ProgramState{}, part, invoice("INV-1", t0, ln("A", "tools", 3, 10000)))
	wantEarns(t, out, pts{OwnerOrganization, 90}, pts{OwnerOrganization, 7})
	if out.Earns[0].Reason != "10% of 300.00 → 30 points, ×2 by rule double, ×1.5 for tier Silver" ||
		out.Earns[1].Reason != "5 points for the event, ×1.5 for tier Silver" {
		t.Fatalf("reasons %q, %q", out.Earns[0].Reason, out.Earns[1].Reason)
	}
	if out.Rules[0].Points != 30 || out.Rules[2].Points != 5 {
		t.Fatalf("rules report %+v", out.Rules)
	}
}
