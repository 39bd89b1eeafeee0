package engine

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestPriorityAndStop: rules run by ascending priority; a rule that fired
// with stop ends the run, one whose condition failed does not.
func TestPriorityAndStop(t *testing.T) {
	fixed := func(n int64) []Effect { return []Effect{{Type: EffectEarn, Fixed: n}} }
	cases := []struct {
		name  string
		rules []Rule
		fired []string // rule ids that fired, in order
		seen  []string // rule ids reported, in order
		want  []pts
	}{
		{
			name: "stop ends the run",
			rules: []Rule{
				{ID: "late", Priority: 30, Effects: fixed(1)},
				{ID: "never", Priority: 10, Condition: `event.amount > 1000000`, Stop: true, Effects: fixed(7)},
				{ID: "first", Priority: 20, Stop: true, Effects: fixed(10)},
			},
			fired: []string{"first"},
			seen:  []string{"never", "first"},
			want:  []pts{{OwnerOrganization, 10}},
		},
		{
			name: "all run without stop",
			rules: []Rule{
				{ID: "c", Priority: 3, Effects: fixed(100)},
				{ID: "a", Priority: 1, Effects: fixed(1)},
				{ID: "b", Priority: 2, Condition: `org.type == "dealer"`, Effects: fixed(10)},
			},
			fired: []string{"a", "b", "c"},
			seen:  []string{"a", "b", "c"},
			want:  []pts{{OwnerOrganization, 1}, {OwnerOrganization, 10}, {OwnerOrganization, 100}},
		},
		{
			name: "equal priority keeps the given order",
			rules: []Rule{
				{ID: "y", Effects: fixed(2), Stop: true},
				{ID: "x", Effects: fixed(3)},
			},
			fired: []string{"y"},
			seen:  []string{"y"},
			want:  []pts{{OwnerOrganization, 2}},
		},
		{
			name: "other event types are skipped silently",
			rules: []Rule{
				{ID: "training", Events: []string{Training}, Effects: fixed(50), Stop: true},
				{ID: "inv", Events: []string{Invoice, Order}, Effects: fixed(5)},
			},
			fired: []string{"inv"},
			seen:  []string{"inv"},
			want:  []pts{{OwnerOrganization, 5}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := compileDef(t, Definition{Rules: c.rules})
			out := evaluate(t, p, ProgramState{}, dealer("org-1"), invoice("INV-1", t0, ln("A", "tools", 2, 5000)))
			wantEarns(t, out, c.want...)
			var fired, seen []string
			for _, r := range out.Rules {
				seen = append(seen, r.RuleID)
				if r.Fired {
					fired = append(fired, r.RuleID)
				}
			}
			if !reflect.DeepEqual(fired, c.fired) || !reflect.DeepEqual(seen, c.seen) {
				t.Fatalf("fired %v of %v, want %v of %v", fired, seen, c.fired, c.seen)
			}
		})
	}
}

// TestConditionNotMetReason: a rule whose condition fails says so.
func TestConditionNotMetReason(t *testing.T) {
	p := compileDef(t, Definition{Rules: []Rule{{ID: "big", Name: "Big orders", Condition: `event.amount >= 100000`, Effects: []Effect{{Type: EffectEarn, Fixed: 5}}}}})
	out := evaluate(t, p, ProgramState{}, dealer("org-1"), invoice("INV-1", t0, ln("A", "tools", 1, 5000)))
	want := []Fired{{RuleID: "big", Name: "Big orders", Reason: "condition not met: event.amount >= 100000"}}
	if !reflect.DeepEqual(out.Rules, want) || len(out.Earns) != 0 {
		t.Fatalf("rules %+v earns %+v", out.Rules, out.Earns)
	}
}

// TestEarnKinds: percent, per amount, per unit and fixed add up, at 1.00
// per point rounded down.
func TestEarnKinds(t *testing.T) {
	ev := invoice("INV-1", t0, ln("A", "tools", 3, 4999), ln("B", "paint", 2, 1250)) // 149.97 + 25.00 = 174.97, 5 units
	cases := []struct {
		name string
		ef   Effect
		want int64
		why  string
	}{
		{"percent", Effect{Type: EffectEarn, PercentBP: 1000}, 17, "10% of 174.97 → 17 points"},
		{"percent fraction", Effect{Type: EffectEarn, PercentBP: 550}, 9, "5.5% of 174.97 → 9 points"},
		{"per amount", Effect{Type: EffectEarn, PerAmount: &Per{Points: 3, Per: 5000}}, 9, "3 points per 50.00 on 174.97 → 9 points"},
		{"per unit", Effect{Type: EffectEarn, PerUnit: 4}, 20, "4 points × 5 units → 20 points"},
		{"fixed", Effect{Type: EffectEarn, Fixed: 25}, 25, "25 points for the event"},
		{"expression", Effect{Type: EffectEarn, Points: `event.quantity * 7`}, 35, "event.quantity * 7 → 35 points"},
		{"sum", Effect{Type: EffectEarn, PercentBP: 1000, PerUnit: 1, Fixed: 2}, 24, "10% of 174.97 → 17 points; 1 point × 5 units → 5 points; 2 points for the event"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := compileDef(t, Definition{Rules: []Rule{{ID: "r", Effects: []Effect{c.ef}}}})
			out := evaluate(t, p, ProgramState{}, dealer("org-1"), ev)
			wantEarns(t, out, pts{OwnerOrganization, c.want})
			if out.Earns[0].Reason != c.why || out.Rules[0].Points != c.want {
				t.Fatalf("reason %q (rule %+v), want %q", out.Earns[0].Reason, out.Rules[0], c.why)
			}
		})
	}
}

// TestPerLinePoints: a points expression runs per line the lines filter
// keeps: line.qty * 2 over the tools lines only.
func TestPerLinePoints(t *testing.T) {
	p := compileDef(t, Definition{Rules: []Rule{{ID: "tools", Effects: []Effect{{Type: EffectEarn, Lines: `line.category == "tools"`, Points: `line.qty * 2`}}}}})
	ev := invoice("INV-1", t0, ln("H-1", "tools", 3, 1000), ln("P-1", "paint", 5, 2000), ln("S-1", "tools", 2, 700))
	out := evaluate(t, p, ProgramState{}, dealer("org-1"), ev)
	wantEarns(t, out, pts{OwnerOrganization, 10})
	if out.Earns[0].Reason != "line.qty * 2 → 10 points" {
		t.Fatalf("reason %q", out.Earns[0].Reason)
	}
	// With a percent too, the percent counts only the tools lines: 10% of 44.00.
	p = compileDef(t, Definition{Rules: []Rule{{ID: "tools", Effects: []Effect{{Type: EffectEarn, Lines: `line.category == "tools"`, PercentBP: 1000, Points: `line.qty * 2`}}}}})
	wantEarns(t, evaluate(t, p, ProgramState{}, dealer("org-1"), ev), pts{OwnerOrganization, 14})
	// No tools line: no points, said so.
	out = evaluate(t, p, ProgramState{}, dealer("org-1"), invoice("INV-2", t0, ln("P-1", "paint", 5, 2000)))
	if len(out.Earns) != 0 || !out.Rules[0].Fired || !strings.HasPrefix(out.Rules[0].Reason, "no points: ") {
		t.Fatalf("no tools lines: %+v", out)
	}
}

// TestMultiply: a multiply effect scales the points earned so far by the
// event, in the rounding of the point type.
func TestMultiply(t *testing.T) {
	p := compileDef(t, Definition{Rules: []Rule{
		{ID: "base", Priority: 1, Effects: []Effect{{Type: EffectEarn, PercentBP: 1000}}},
		{ID: "double", Priority: 2, Condition: `"vip" in org.tags`, Effects: []Effect{{Type: EffectMultiply, FactorBP: 20000}}},
		{ID: "third", Priority: 3, Effects: []Effect{{Type: EffectMultiply, FactorBP: 13333}}},
		{ID: "late", Priority: 4, Effects: []Effect{{Type: EffectEarn, Fixed: 5}}},
	}})
	out := evaluate(t, p, ProgramState{}, dealer("org-1"), invoice("INV-1", t0, ln("A", "tools", 3, 10000))) // 300.00
	// 30 × 2 = 60; × 1.3333 = 79.998 → 79 (floor); the later fixed 5 is not multiplied.
	wantEarns(t, out, pts{OwnerOrganization, 79}, pts{OwnerOrganization, 5})
	if want := "10% of 300.00 → 30 points, ×2 by rule double, ×1.3333 by rule third"; out.Earns[0].Reason != want {
		t.Fatalf("reason %q, want %q", out.Earns[0].Reason, want)
	}
	if out.Rules[1].Reason != "points so far ×2" {
		t.Fatalf("multiply rule reason %q", out.Rules[1].Reason)
	}
	// Without the vip tag only the 1.3333 applies: 30 × 1.3333 = 39.999 → 39.
	part := dealer("org-2")
	part.Org.Tags = nil
	wantEarns(t, evaluate(t, p, ProgramState{}, part, invoice("INV-1", t0, ln("A", "tools", 3, 10000))), pts{OwnerOrganization, 39}, pts{OwnerOrganization, 5})
}

// TestCaps: a rule's caps per organization, member and rule per period cut
// points with a note and restart with the next period.
func TestCaps(t *testing.T) {
	fixed := []Effect{{Type: EffectEarn, Fixed: 100}}
	t.Run("per organization per month", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: []Rule{{ID: "r", Effects: fixed, Caps: []Cap{{Per: "organization", Period: "month", Points: 250}}}}})
		part := dealer("org-1")
		steps := []struct {
			day  int // of November, or 31 + day of December
			want int64
			note string
		}{
			{1, 100, ""},
			{5, 100, ""},
			{20, 50, "rule r: cap of 250 points per organization per month reached; 50 of 100 points given"},
			{30, 0, "rule r: cap of 250 points per organization per month reached; 0 of 100 points given"},
			{31 + 1, 100, ""},
		}
		for i, s := range steps {
			at := t0.AddDate(0, 0, s.day-t0.Day())
			out := evaluate(t, p, ProgramState{}, part, invoice("INV", at, ln("A", "tools", 1, 100)))
			var want []pts
			if s.want > 0 {
				want = []pts{{OwnerOrganization, s.want}}
			}
			wantEarns(t, out, want...)
			var notes []string
			if s.note != "" {
				notes = []string{s.note}
			}
			wantNotes(t, out, notes...)
			if i < 4 && out.OrgState.Caps["rule:r:organization:month:2026-11"] != min(int64(100*(i+1)), 250) {
				t.Fatalf("step %d: cap usage %v", i, out.OrgState.Caps)
			}
			part.OrgState = out.OrgState
		}
	})
	t.Run("per member per day", func(t *testing.T) {
		p := compileDef(t, Definition{Beneficiary: ToBoth, Rules: []Rule{{ID: "r", Effects: fixed, Caps: []Cap{{Per: "member", Period: "day", Points: 150}}}}})
		part := withMember(dealer("org-1"), "m-1", "sales", true)
		out := evaluate(t, p, ProgramState{}, part, invoice("INV-1", t0, ln("A", "tools", 1, 100)))
		wantEarns(t, out, pts{OwnerOrganization, 100}, pts{OwnerMember, 100})
		part.OrgState, part.MemberState = out.OrgState, out.MemberState
		out = evaluate(t, p, ProgramState{}, part, invoice("INV-2", t0.Add(time.Hour), ln("A", "tools", 1, 100)))
		wantEarns(t, out, pts{OwnerOrganization, 100}, pts{OwnerMember, 50})
		wantNotes(t, out, "rule r: cap of 150 points per member per day reached; 50 of 100 points given")
		if out.MemberState.Caps["rule:r:member:day:2026-11-10"] != 150 || len(out.OrgState.Caps) != 0 {
			t.Fatalf("member caps %v, organization caps %v", out.MemberState.Caps, out.OrgState.Caps)
		}
		part.OrgState, part.MemberState = out.OrgState, out.MemberState
		out = evaluate(t, p, ProgramState{}, part, invoice("INV-3", t0.AddDate(0, 0, 1), ln("A", "tools", 1, 100)))
		wantEarns(t, out, pts{OwnerOrganization, 100}, pts{OwnerMember, 100})
	})
	t.Run("per rule across organizations", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: []Rule{{ID: "r", Effects: fixed, Caps: []Cap{{Per: "rule", Period: "lifetime", Points: 250}}}}})
		if !p.NeedsProgramState() {
			t.Fatal("a per-rule cap needs the program's state")
		}
		var ps ProgramState
		var got []int64
		for i, org := range []string{"a", "b", "c", "d"} {
			out := evaluate(t, p, ps, dealer(org), invoice("INV", t0.AddDate(0, i, 0), ln("A", "tools", 1, 100)))
			got = append(got, out.Points())
			ps = out.ProgramState
		}
		if !reflect.DeepEqual(got, []int64{100, 100, 50, 0}) || ps.Caps["rule:r:rule:lifetime:all"] != 250 {
			t.Fatalf("points %v, program caps %v", got, ps.Caps)
		}
	})
	t.Run("the tightest of several caps", func(t *testing.T) {
		p := compileDef(t, Definition{Rules: []Rule{{ID: "r", Effects: fixed, Caps: []Cap{
			{Per: "organization", Period: "year", Points: 1000}, {Per: "organization", Period: "day", Points: 30}}}}})
		out := evaluate(t, p, ProgramState{}, dealer("org-1"), invoice("INV", t0, ln("A", "tools", 1, 100)))
		wantEarns(t, out, pts{OwnerOrganization, 30})
		if c := out.OrgState.Caps; c["rule:r:organization:year:2026"] != 30 || c["rule:r:organization:day:2026-11-10"] != 30 {
			t.Fatalf("caps %v", c)
		}
	})
}

// TestBudget: a program's budget cuts the points once exhausted, with a
// note, and counts what it issued.
func TestBudget(t *testing.T) {
	p := compileDef(t, Definition{Budget: 250, Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 100}}}}})
	if !p.NeedsProgramState() {
		t.Fatal("a budget needs the program's state")
	}
	cases := []struct {
		issued, want int64
		note         string
	}{
		{0, 100, ""},
		{150, 100, ""},
		{200, 50, "program budget of 250 points exhausted: 50 of 100 points given"},
		{250, 0, "program budget of 250 points exhausted: 0 of 100 points given"},
		{300, 0, "program budget of 250 points exhausted: 0 of 100 points given"},
	}
	for _, c := range cases {
		out := evaluate(t, p, ProgramState{Issued: c.issued}, dealer("org-1"), invoice("INV", t0, ln("A", "tools", 1, 100)))
		var want []pts
		if c.want > 0 {
			want = []pts{{OwnerOrganization, c.want}}
		}
		wantEarns(t, out, want...)
		var notes []string
		if c.note != "" {
			notes = []string{c.note}
		}
		wantNotes(t, out, notes...)
		if out.ProgramState.Issued != c.issued+c.want {
			t.Fatalf("issued %d after %d + %d", out.ProgramState.Issued, c.issued, c.want)
		}
	}
}

// TestCountersRewardsMessages: the other effects report what they did.
func TestCountersRewardsMessages(t *testing.T) {
	p := compileDef(t, Definition{Beneficiary: ToBoth, Rules: []Rule{{ID: "r", Effects: []Effect{
		{Type: EffectCounter, Counter: "orders", Value: `(has(org.counters.orders) ? org.counters.orders : 0) + 1`},
		{Type: EffectReward, RewardID: "mug", Name: "Mug", To: ToMember},
		{Type: EffectMessage, Template: "thanks"},
	}}}})
	part := withMember(dealer("org-1"), "m-1", "sales", true)
	part.OrgState.Counters = map[string]int64{"orders": 4}
	out := evaluate(t, p, ProgramState{}, part, invoice("INV", t0, ln("A", "tools", 1, 100)))
	if !reflect.DeepEqual(out.Counters, []Counter{{"orders", 5}}) || out.OrgState.Counters["orders"] != 5 || part.OrgState.Counters["orders"] != 4 {
		t.Fatalf("counters %+v state %v input %v", out.Counters, out.OrgState.Counters, part.OrgState.Counters)
	}
	if !reflect.DeepEqual(out.Rewards, []Grant{{Type: EffectReward, RewardID: "mug", Name: "Mug", To: OwnerMember, ToID: "m-1", Reason: "rule r"}}) {
		t.Fatalf("rewards %+v", out.Rewards)
	}
	if !reflect.DeepEqual(out.Messages, []Message{{"thanks", OwnerOrganization, "org-1"}, {"thanks", OwnerMember, "m-1"}}) {
		t.Fatalf("messages %+v", out.Messages)
	}
	if out.Rules[0].Reason != "counter orders = 5; reward Mug; message thanks" {
		t.Fatalf("reason %q", out.Rules[0].Reason)
	}
}

// TestBudgetStampCard: the points of a full stamp card count against the
// program's budget like the rules' points.
func TestBudgetStampCard(t *testing.T) {
	p := compileDef(t, Definition{Budget: 250, Rules: []Rule{{ID: "r", Effects: []Effect{{Type: EffectEarn, Fixed: 100}}}},
		Stamps: &StampCard{Needed: 2, Reward: Effect{Type: EffectEarn, Fixed: 500}}})
	part := dealer("org-1")
	part.OrgState.Stamps = 1
	out := evaluate(t, p, ProgramState{Issued: 100}, part, invoice("INV", t0, ln("A", "tools", 1, 100)))
	wantEarns(t, out, pts{OwnerOrganization, 100}, pts{OwnerOrganization, 50})
	wantNotes(t, out, "program budget of 250 points exhausted: 50 of 500 points given")
	if out.ProgramState.Issued != 250 || out.Stamps.Completed != 1 {
		t.Fatalf("issued %d, stamps %+v", out.ProgramState.Issued, out.Stamps)
	}
	out = evaluate(t, p, out.ProgramState, part, invoice("INV-2", t0, ln("A", "tools", 1, 100)))
	if len(out.Earns) != 0 || out.ProgramState.Issued != 250 {
		t.Fatalf("after the budget: earns %+v issued %d", out.Earns, out.ProgramState.Issued)
	}
}

// A cap keeps only its current period: a new month drops the old one, and
// caps of other periods or rules stay.
func TestCapUsageKeepsOnePeriod(t *testing.T) {
	m := map[string]int64{}
	useCap(m, "rule:r:organization:month:2026-10", 40)
	useCap(m, "rule:r:organization:day:2026-10-31", 10)
	useCap(m, "rule:q:organization:month:2026-10", 5)
	useCap(m, "rule:r:organization:month:2026-10", 2)
	useCap(m, "rule:r:organization:month:2026-11", 7)
	want := map[string]int64{"rule:r:organization:month:2026-11": 7, "rule:r:organization:day:2026-10-31": 10, "rule:q:organization:month:2026-10": 5}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("cap usage %v, want %v", m, want)
	}
}
