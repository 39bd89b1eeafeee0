package engine

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestWindowsInOnePass: the windows summed in one pass, and the tier
// window after a purchase derived from them, equal what State.Window sums,
// over random states: months around the event, in the future, beyond a
// year; figures near the int64 limits; a purchase in a month not
// yet in the state.
func TestWindowsInOnePass(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	exact := 0
	for i := range 4000 {
		at := time.Date(2020+r.IntN(8), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
		st := randomMonths(r, at)
		w, ok := st.windowsAt(at)
		if ok {
			exact++
			want := [...]int64{st.monthSpendAt(at), st.Window("previous_month", at).Spend, st.Window("calendar_year", at).Spend}
			if got := [...]int64{w.thisMonth.Spend, w.lastMonth.Spend, w.year.Spend}; got != want {
				t.Fatalf("state %d at %s: windows %v, want %v (%v)", i, at, got, want, st.Months)
			}
		}
		d := Month{Spend: r.Int64N(1_000_000), Quantity: r.Int64N(50), Orders: 1}
		if i%50 == 0 {
			d.Spend = math.MaxInt64 - 5
		}
		after := st.Clone()
		after.add(at, d)
		for _, window := range []string{"calendar_year", "rolling_12_months", "previous_month", "lifetime", ""} {
			got, ok := w.afterPurchase(window, d)
			if want := after.Window(window, at); ok && got != want {
				t.Fatalf("state %d at %s, %q after %+v: %+v, want %+v (%v)", i, at, window, d, got, want, st.Months)
			}
		}
	}
	if exact < 3000 || exact == 4000 {
		t.Fatalf("%d of 4000 states summed in one pass: the test does not cover both paths", exact)
	}
}

// randomMonths is a state with months from two years before at to two
// months after it, some left out, now and then a huge figure.
func randomMonths(r *rand.Rand, at time.Time) State {
	st := State{Months: Months{}}
	for n := -26; n <= 2; n++ {
		if r.IntN(3) == 0 {
			continue
		}
		m := Month{Spend: r.Int64N(10_000_000) - 1_000_000, Quantity: r.Int64N(100), Orders: r.Int64N(5), Points: r.Int64N(1000)}
		if r.IntN(200) == 0 {
			m.Spend = math.MaxInt64 / 3
		}
		*st.Months.at(monthOf(at) + int64(n)) = m
	}
	return st
}
