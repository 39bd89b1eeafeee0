package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// TestCompileCollectsErrors: every problem of a definition is reported at
// once, each under its field path.
func TestCompileCollectsErrors(t *testing.T) {
	def := Definition{
		Currency: "EUR",
		// no point_type_id although rules earn
		Rules: []Rule{
			{ID: "a", Effects: []Effect{{Type: "bonus"}}},
			{ID: "b", Condition: `event.amount > 100 && event.amout > 5`, Effects: []Effect{{Type: EffectEarn, Fixed: 10}}},
			{ID: "c", Effects: []Effect{{Type: EffectEarn, Lines: `line.category = "tools"`, Points: `line.qty * 2`}}},
		},
		Tiers: &Tiers{Metric: "spend", Window: "calendar_year", Review: "year", Levels: []Level{
			{Code: "base"}, {Code: "silver", Threshold: 500000}, {Code: "gold", Threshold: 400000},
		}},
	}
	_, err := Compile("p", 1, t0, def, eur)
	if err == nil {
		t.Fatal("the definition compiled")
	}
	got := fieldErrors(t, err)
	want := map[string]string{
		"point_type_id":             "required",
		"rules[0].effects[0].type":  "unknown_effect",
		"rules[1].condition":        "rule_invalid",
		"rules[2].effects[0].lines": "rule_invalid",
		"tiers.levels[2].threshold": "not_ascending",
	}
	for f, code := range want {
		if got[f] != code {
			t.Errorf("field %s: code %q, want %q (all: %v)", f, got[f], code, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("fields %v, want exactly %v", got, want)
	}
	// The CEL error names the position of the misspelt field.
	if m := fieldMessage(err, "rules[1].condition"); !strings.Contains(m, "line 1, column 28") || !strings.Contains(m, "amout") {
		t.Errorf("condition message %q does not point at amout (line 1, column 28)", m)
	}
	if m := fieldMessage(err, "rules[0].effects[0].type"); !strings.Contains(m, `"bonus"`) {
		t.Errorf("effect message %q does not name the effect", m)
	}
}

// TestCompileErrorCases: table of single problems and the path they are
// reported under.
func TestCompileErrorCases(t *testing.T) {
	earn := []Effect{{Type: EffectEarn, Fixed: 1}}
	cases := []struct {
		name  string
		def   Definition
		v     PointValue
		field string
		code  string
	}{
		{"bad currency", Definition{Currency: "eur", PointTypeID: "pt"}, eur, "currency", "invalid_currency"},
		{"no point type", Definition{Currency: "EUR", Rules: []Rule{{Effects: earn}}}, eur, "point_type_id", "required"},
		{"no point value", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Effects: earn}}}, PointValue{}, "point_type_id", "no_value"},
		{"stamp card earning needs a point type", Definition{Currency: "EUR",
			Stamps: &StampCard{Needed: 10, Reward: Effect{Type: EffectEarn, Fixed: 100}}}, eur, "point_type_id", "required"},
		{"no effects", Definition{Currency: "EUR", Rules: []Rule{{ID: "r"}}}, eur, "rules[0].effects", "required"},
		{"duplicate rule id", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{ID: "r", Effects: earn}, {ID: "r", Effects: earn}}}, eur, "rules[1].id", "duplicate"},
		{"unknown event type", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Events: []string{"invoice", "sale"}, Effects: earn}}}, eur, "rules[0].events[1]", "unknown_event_type"},
		{"condition not a bool", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Condition: "event.amount", Effects: earn}}}, eur, "rules[0].condition", "rule_invalid"},
		{"line outside line scope", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Effects: []Effect{{Type: EffectEarn, Points: "line.qty"}}}}}, eur, "rules[0].effects[0].points", "rule_invalid"},
		{"empty earn", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Effects: []Effect{{Type: EffectEarn}}}}}, eur, "rules[0].effects[0].type", "empty_earn"},
		{"multiply out of range", Definition{Currency: "EUR", Rules: []Rule{{Effects: []Effect{{Type: EffectMultiply}}}}}, eur, "rules[0].effects[0].factor_bp", "out_of_range"},
		{"cap period", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Effects: earn, Caps: []Cap{{Per: "organization", Period: "week", Points: 5}}}}}, eur, "rules[0].caps[0].period", "invalid_choice"},
		{"cap points", Definition{Currency: "EUR", PointTypeID: "pt", Rules: []Rule{{Effects: earn, Caps: []Cap{{Per: "member", Period: "day"}}}}}, eur, "rules[0].caps[0].points", "out_of_range"},
		{"base level threshold", Definition{Currency: "EUR", Tiers: &Tiers{Metric: "spend", Window: "lifetime", Review: "year",
			Levels: []Level{{Code: "a", Threshold: 5}, {Code: "b", Threshold: 10}}}}, eur, "tiers.levels[0].threshold", "base_level"},
		{"equal thresholds", Definition{Currency: "EUR", Tiers: &Tiers{Metric: "spend", Window: "lifetime", Review: "year",
			Levels: []Level{{Code: "a"}, {Code: "b", Threshold: 10}, {Code: "c", Threshold: 10}}}}, eur, "tiers.levels[2].threshold", "not_ascending"},
		{"one level", Definition{Currency: "EUR", Tiers: &Tiers{Metric: "spend", Window: "lifetime", Review: "year",
			Levels: []Level{{Code: "a"}}}}, eur, "tiers.levels", "out_of_range"},
		{"stamp card needs", Definition{Currency: "EUR", Stamps: &StampCard{Reward: Effect{Type: EffectReward, RewardID: "x"}}}, eur, "stamps.needed", "out_of_range"},
		{"cumulative discount steps", Definition{Currency: "EUR", Discounts: []Discount{{Discount: pricing.Discount{ID: "c", Kind: KindCumulative}, Basis: "lifetime"}}},
			eur, "discounts[0].steps", "required"},
		{"cumulative steps not ascending", Definition{Currency: "EUR", Discounts: []Discount{{Discount: pricing.Discount{ID: "c", Kind: KindCumulative,
			Steps: []pricing.Step{{From: 100, PercentBP: 300}, {From: 100, PercentBP: 500}}}, Basis: "previous_month"}}}, eur, "discounts[0].steps[1].from", "not_ascending"},
		{"step-down on a window basis", Definition{Currency: "EUR", Discounts: []Discount{{Discount: pricing.Discount{ID: "c", Kind: KindCumulative,
			Steps: []pricing.Step{{From: 100, PercentBP: 300}}}, Basis: "rolling_12_months", StepDownDays: 30}}}, eur, "discounts[0].step_down_days", "window_basis"},
		{"stamp card reward", Definition{Currency: "EUR", Stamps: &StampCard{Needed: 10, Reward: Effect{Type: EffectMessage}}}, eur, "stamps.reward.type", "invalid_choice"},
		{"period bonus steps", Definition{Currency: "EUR", PointTypeID: "pt", PeriodBonus: &PeriodBonus{}}, eur, "period_bonus.steps", "required"},
		{"employees cap period", Definition{Currency: "EUR", Employees: &Employees{CapPoints: 10, CapPeriod: "week"}}, eur, "employees.cap_period", "invalid_choice"},
		{"points payment share", Definition{Currency: "EUR", PointTypeID: "pt", PointsPayment: &PointsPayment{MaxShareBP: 12000}}, eur, "points_payment.max_share_bp", "out_of_range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Compile("p", 1, t0, c.def, c.v)
			if err == nil {
				t.Fatal("compiled")
			}
			if got := fieldErrors(t, err); got[c.field] != c.code {
				t.Fatalf("field %s: code %q, want %q (all: %v)", c.field, got[c.field], c.code, got)
			}
		})
	}
}

// TestCompileDefaultsAndOrder: defaults are filled in, rules run by
// ascending priority and, at equal priority, in the order given.
func TestCompileDefaultsAndOrder(t *testing.T) {
	earn := []Effect{{Type: EffectEarn, Fixed: 1}}
	p, err := Compile("p", 3, time.Date(2026, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), Definition{Currency: "EUR", PointTypeID: "pt",
		Rules: []Rule{{ID: "c", Priority: 5, Effects: earn}, {Priority: 1, Effects: earn}, {ID: "a", Priority: 5, Effects: earn}, {ID: "z", Priority: -1, Effects: earn}}}, eur)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range p.rules {
		order = append(order, r.ID)
	}
	if strings.Join(order, ",") != "z,rule-2,c,a" {
		t.Fatalf("running order %v", order)
	}
	d := p.Def
	if d.Beneficiary != ToOrganization || d.Enrollment != "auto" || d.UnknownOrganizations != "reject" || d.Stacking != "best_of" || d.ReturnPolicy != "other_lots" {
		t.Fatalf("defaults %+v", d)
	}
	if !p.From.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) || p.From.Location() != time.UTC {
		t.Fatalf("from %v, want 2026-01-01 00:00 UTC", p.From)
	}
	if p.rules[1].Events[0] != Invoice {
		t.Fatalf("a rule without events runs on invoices, got %v", p.rules[1].Events)
	}
}
