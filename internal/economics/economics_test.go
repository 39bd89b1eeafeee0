package economics

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// TestDiscountVsBonus is DOMAIN §8.3 exactly.
func TestDiscountVsBonus(t *testing.T) {
	c, err := CompareDiscountBonus(900000, 270000, 500)
	if err != nil {
		t.Fatal(err)
	}
	if c.Discount != (DiscountCost{Cost: 45000, Margin: 270000, MarginLeft: 225000, ShareOfMarginBP: 1667}) {
		t.Errorf("discount %+v", c.Discount)
	}
	if c.Bonus != (BonusCost{Cost: 45000, Margin: 540000, MarginLeft: 495000, ShareOfMarginBP: 833, Liability: 45000}) {
		t.Errorf("bonus %+v", c.Bonus)
	}
	s := strings.Join(c.Summary, " ")
	for _, want := range []string{"costs 450.00, 16.7% of the margin of 2,700.00 (margin left 2,250.00)", "over a margin of 5,400.00, 8.3% (margin left 4,950.00)", "another 450.00"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q lacks %q", s, want)
		}
	}
}

// TestDiscountVolume is DOMAIN §8.4 exactly.
func TestDiscountVolume(t *testing.T) {
	v, err := DiscountVolume(10000, 4500, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if v.Discount != 1000 || v.MarginAfter != 3500 || v.GrowthBP != 2857 {
		t.Errorf("got %+v, want 10.00 off, 35.00 left, 28.57%%", v)
	}
	if !strings.Contains(v.Summary[0], "45.00/35.00 − 1 = 28.6%") {
		t.Errorf("summary %q", v.Summary[0])
	}
	if _, err := DiscountVolume(10000, 1000, 1000); errs.KindOf(err) != errs.Invalid {
		t.Errorf("a discount that takes the whole margin: %v", err)
	}
}

// TestMembershipBreakEven is DOMAIN §8.11 exactly, and rounds up.
func TestMembershipBreakEven(t *testing.T) {
	for _, c := range []struct{ fee, bp, want int64 }{{22000, 5000, 44000}, {60000, 300, 2000000}, {100, 300, 3334}} {
		if got, err := MembershipBreakEven(c.fee, c.bp); err != nil || got != c.want {
			t.Errorf("fee %d at %d bp: %d, %v; want %d", c.fee, c.bp, got, err, c.want)
		}
	}
}

// TestBadInput names the field to fix.
func TestBadInput(t *testing.T) {
	cases := []struct {
		err   error
		field string
	}{
		{func() error { _, err := CompareDiscountBonus(0, 1, 1); return err }(), "price"},
		{func() error { _, err := CompareDiscountBonus(100, 200, 1); return err }(), "margin"},
		{func() error { _, err := CompareDiscountBonus(100, 50, 10001); return err }(), "rate_bp"},
		{func() error { _, err := MembershipBreakEven(100, 0); return err }(), "discount_bp"},
		{func() error { _, err := MembershipBreakEven(-1, 100); return err }(), "fee"},
	}
	for i, c := range cases {
		e := errs.As(c.err)
		if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
			t.Errorf("case %d: %v, want a problem with %s", i, c.err, c.field)
		}
	}
}
