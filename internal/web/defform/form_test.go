package defform

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

func sample() engine.Definition {
	return engine.Definition{Currency: "GBP", Rules: []engine.Rule{
		{ID: "a", Effects: []engine.Effect{{Type: "earn", PercentBP: 500}}},
		{ID: "b", Condition: "event.amount > 100", Effects: []engine.Effect{{Type: "earn", Fixed: 5}}},
	}}
}

// A word in a number field is an error named by the field's path, and the
// form shows what was typed.
func TestBadNumberIsNamedByItsField(t *testing.T) {
	vals := Encode(sample()).Values()
	vals.Set("rules[1].effects[0].fixed", "five")
	_, err := Decode(vals)
	if err == nil {
		t.Fatal("a word was read as a number")
	}
	f := Encode(sample())
	f.Keep(vals, map[string]string{"rules[1].effects[0].fixed": "bad"})
	n := f.Find("rules[1].effects[0].fixed")
	if n == nil || n.Value != "five" || n.Error != "bad" {
		t.Fatalf("field shows %+v", n)
	}
}

// An item marked for removal is gone; a new item is empty and last.
func TestRemoveAndAdd(t *testing.T) {
	vals := Encode(sample()).Values()
	vals.Set("rules[0]"+RemoveMark, "on")
	def, err := Decode(vals)
	if err != nil || len(def.Rules) != 1 || def.Rules[0].ID != "b" {
		t.Fatalf("after removal: %+v %v", def.Rules, err)
	}
	f := Encode(def)
	if !f.NewItem("rules[0].effects") || f.NewItem("currency") {
		t.Fatal("NewItem found the wrong lists")
	}
	def, _ = Decode(f.Values())
	if len(def.Rules[0].Effects) != 2 || def.Rules[0].Effects[1].Type != "earn" {
		t.Fatalf("after adding: %+v", def.Rules[0].Effects)
	}
}

// CEL fields know what they must yield and which lines filter them.
func TestCELFields(t *testing.T) {
	def := engine.Definition{Rules: []engine.Rule{{Effects: []engine.Effect{{Type: "earn", Lines: "line.qty > 1", Points: "line.qty"}}}}}
	f := Encode(def)
	cond := f.Find("rules[0].condition")
	pts := f.Find("rules[0].effects[0].points")
	lines := f.Find("rules[0].effects[0].lines")
	if cond.Kind != CEL || cond.CELKind != "condition" || pts.CELKind != "amount" || pts.Scope != lines.Name || lines.Scope != "line" {
		t.Fatalf("cel fields: %+v %+v %+v", cond, pts, lines)
	}
}

// An effect shows the fields of its type, and any other that is set.
func TestRelevantFields(t *testing.T) {
	def := engine.Definition{Rules: []engine.Rule{{Effects: []engine.Effect{{Type: "multiply", FactorBP: 20000, Template: "x"}}}},
		Discounts: []engine.Discount{{Discount: pricing.Discount{ID: "d", Kind: "nth_item", N: 3}}}}
	f := Encode(def)
	keys := func(ns []*Node) map[string]bool {
		m := map[string]bool{}
		for _, n := range ns {
			m[n.Key] = true
		}
		return m
	}
	eff := f.Find("rules[0].effects[0]")
	main, more := keys(eff.Main()), keys(eff.More())
	if !main["factor_bp"] || !main["template"] || !main["type"] || main["percent_bp"] || !more["percent_bp"] {
		t.Fatalf("effect: main %v more %v", main, more)
	}
	d := f.Find("discounts[0]")
	if m := keys(d.Main()); !m["n"] || !m["over"] || m["steps"] || !m["condition"] {
		t.Fatalf("discount: main %v", m)
	}
	if r := f.Find("rules[0]"); len(r.More()) != 0 {
		t.Fatal("a rule hides fields")
	}
}
