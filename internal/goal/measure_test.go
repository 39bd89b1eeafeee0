package goal

import (
	"math"
	"testing"
)

func TestShareBP(t *testing.T) {
	cases := []struct{ amount, total, want int64 }{
		{0, 100, 0}, {20000, 0, 0}, {-5, 100, 0}, {1, 3, 3333}, {30000, 100000, 3000},
		{100, 100, 10000}, {200, 100, 10000}, {math.MaxInt64 - 1, math.MaxInt64, 9999},
	}
	for _, c := range cases {
		if got := shareBP(c.amount, c.total); got != c.want {
			t.Errorf("shareBP(%d, %d) = %d, want %d", c.amount, c.total, got, c.want)
		}
	}
}

func TestMatches(t *testing.T) {
	g := Goal{SKUs: []string{"A", "C"}, Categories: []string{"insulation"}}
	for _, c := range []struct {
		sku, cat string
		want     bool
	}{{"A", "", true}, {"B", "insulation", true}, {"B", "roofing", false}, {"B", "", false}} {
		if got := g.matches(c.sku, c.cat); got != c.want {
			t.Errorf("matches(%q, %q) = %v", c.sku, c.cat, got)
		}
	}
	if all := (Goal{}); !all.matches("X", "") {
		t.Error("a goal without skus or categories counts every line")
	}
}
