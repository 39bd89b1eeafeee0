package store

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/analytics"
)

// TestPackedFactsRoundTrip packs facts (purchases and returns, negative
// and extreme figures) and reads them back unchanged.
func TestPackedFactsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	figures := []int64{0, 1, -1, 35, 36, -36, math.MaxInt64, math.MinInt64 + 1}
	var facts []analytics.Fact
	var text []byte
	for i := range 2000 {
		f := analytics.Fact{Type: analytics.FactPurchase, OccurredMs: r.Int64N(4_000_000_000_000) - 1_000_000_000_000,
			Amount: r.Int64() - r.Int64(), Cost: figures[i%len(figures)]}
		if i%3 == 0 {
			f.Type = analytics.FactReturn
		}
		facts = append(facts, f)
		text = append(text, packFact(f)...)
	}
	got, err := unpack(nil, text, analytics.Fact{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, facts) {
		t.Fatalf("unpacked %d facts, not the %d packed (first %+v, want %+v)", len(got), len(facts), got[0], facts[0])
	}
}

// TestMalformedPacksAreRefused: text that is not packed facts is an
// error, never a fact with a wrong figure.
func TestMalformedPacksAreRefused(t *testing.T) {
	for _, s := range []string{"1,2", "1,2,3", ",2,3;", "1,,3;", "1,2,;", "A,2,3;", "1,2,3;x", "-,2,3;", "1,R,3;", "1,RR2,3;", "1;2,3;"} {
		if got, err := unpack(nil, []byte(s), analytics.Fact{}); err == nil {
			t.Errorf("unpack(%q) = %+v, want an error", s, got)
		}
	}
}
