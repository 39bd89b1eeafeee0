package coupon

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

func TestUsableAt(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	end := t0.AddDate(0, 0, 30)
	c := Coupon{OrganizationID: "o1", OwnerType: engine.OwnerMember, OwnerID: "m1", Status: Available, IssuedAt: t0, ExpiresAt: &end,
		Benefit: &engine.Coupon{Kind: engine.CouponPercent, PercentBP: 1000}}
	cases := []struct {
		name       string
		c          Coupon
		org, membr string
		at         time.Time
		want       string
	}{
		{"its member, in time", c, "o1", "m1", t0.AddDate(0, 0, 1), ""},
		{"another organization's", c, "o2", "m1", t0, "unknown coupon"},
		{"another member's", c, "o1", "m2", t0, "unknown coupon"},
		{"at its end", c, "o1", "m1", end, "expired on 2026-04-01 09:00 UTC"},
		{"before it was issued", c, "o1", "m1", t0.Add(-time.Hour), "not issued yet at the order's time"},
		{"used", func() Coupon { x := c; x.Status = Used; return x }(), "o1", "m1", t0, "already used"},
		{"without a benefit", func() Coupon { x := c; x.Benefit = nil; return x }(), "o1", "m1", t0, "it has no benefit at checkout: staff use it by hand"},
	}
	for _, x := range cases {
		if got := UsableAt(x.c, x.org, x.membr, x.at); got != x.want {
			t.Errorf("%s: %q, want %q", x.name, got, x.want)
		}
	}
	if ID("e1", "p1", 0) != ID("e1", "p1", 0) || ID("e1", "p1", 0) == ID("e1", "p1", 1) {
		t.Error("coupon ids derive from event, program and grant index")
	}
}

func TestFullyReturned(t *testing.T) {
	lines := []engine.Line{{SKU: "A", Qty: 2}, {SKU: "B", Qty: 1}}
	if FullyReturned(lines, []int64{2, 0}, nil) || !FullyReturned(lines, []int64{2, 1}, nil) {
		t.Error("by the recorded units")
	}
	if !FullyReturned(lines, nil, []engine.Line{{SKU: "A", Qty: 2}, {SKU: "B", Qty: 1}}) || FullyReturned(lines, nil, []engine.Line{{SKU: "A", Qty: 2}}) {
		t.Error("by the return's lines when nothing was recorded")
	}
}
