package admin

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// A diff names the fields that changed, with both values, and nothing else.
func TestDiffDefinitions(t *testing.T) {
	a := engine.Definition{Currency: "GBP", Rules: []engine.Rule{{ID: "r", Effects: []engine.Effect{{Type: "earn", PercentBP: 500}}}}}
	b := a
	b.Rules = []engine.Rule{{ID: "r", Condition: `org.region == "North"`, Effects: []engine.Effect{{Type: "earn", PercentBP: 1000}}}}
	got := diffDefinitions(a, b)
	want := []change{{"rules[0].condition", "", `org.region == "North"`}, {"rules[0].effects[0].percent_bp", "500", "1000"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("diff %+v, want %+v", got, want)
	}
	if d := diffDefinitions(a, a); len(d) != 0 {
		t.Fatalf("no change diffs as %+v", d)
	}
}
