package lots

import (
	"testing"
	"time"
)

func TestArithmetic(t *testing.T) {
	cases := []struct {
		name      string
		got, want int64
	}{
		{"credit of 100 to a wallet at 60: all into lots", Netted(100, 60+100), 100},
		{"credit of 100 to a wallet at −30: 30 repay the debt", Netted(100, -30+100), 70},
		{"credit of 100 to a wallet at −150: all repay", Netted(100, -150+100), 0},
		{"take of 50 from 80: the lots held all", Covered(50, 30), 50},
		{"take of 50 from 20 (to −30): the lots held 20", Covered(50, -30), 20},
		{"source only takes nothing more", ClawRest(SourceOnly, 40, 100, 0), 0},
		{"other lots: down to zero", ClawRest(OtherLots, 40, 25, 0), 25},
		{"allow negative: down to the limit", ClawRest(AllowNegative, 40, 25, 10), 35},
		{"allow negative within the limit", ClawRest(AllowNegative, 40, 25, 100), 40},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

func TestOrderAndInactivity(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	soon, later := t0.AddDate(0, 1, 0), t0.AddDate(0, 2, 0)
	a := Key{ExpiresMs: ExpiresMs(&soon), Earned: t0.AddDate(0, 0, 5), Seq: 3}
	b := Key{ExpiresMs: ExpiresMs(&later), Earned: t0, Seq: 1}
	c := Key{ExpiresMs: ExpiresMs(nil), Earned: t0, Seq: 2}
	if Compare(a, b) >= 0 || Compare(b, c) >= 0 || Compare(Key{Earned: t0, Seq: 1}, Key{Earned: t0, Seq: 2}) >= 0 {
		t.Error("spend order: earliest expiry, then earned, then creation")
	}
	// Six months of inactivity: activity on 10 March moves expiry to
	// 10 September; a back-dated activity of 1 March moves nothing.
	sep := time.Date(2026, 9, 10, 0, 0, 0, 0, time.UTC)
	if got := AfterInactivity(6, t0, nil); !got.Equal(sep) {
		t.Errorf("after activity: %s", got)
	}
	if got := AfterInactivity(6, t0.AddDate(0, 0, -9), &sep); !got.Equal(sep) {
		t.Errorf("a back-dated activity moved expiry to %s", got)
	}
}
