package engine

import "time"

// windows are a state's totals over the windows an evaluation reads, as
// of the event's time, summed in one pass over the months instead of one
// pass (or lookup) per window.
type windows struct {
	thisMonth, lastMonth, year, rolling Month
	// exact: every month's figures are far from the int64 limits, so the
	// sums are exact in any order and a purchase's totals can be added to
	// them. Otherwise the windows are summed by State.Window, as always.
	exact bool
}

// exactLimit bounds the figures of an exact window: 32 months of them and
// a purchase add up to less than 2^63.
const exactLimit = 1 << 57

// windowsAt sums the windows of t in one pass; ok is false when the state
// is not one such a pass handles exactly (too many months, huge figures).
func (s *State) windowsAt(t time.Time) (w windows, ok bool) {
	if len(s.Months) > 32 {
		return w, false
	}
	y, m, _ := t.UTC().Date()
	now := monthNum(y, m)
	jan, from := monthNum(y, time.January), now-11
	for i := range s.Months {
		mo := &s.Months[i]
		if !mo.small() {
			return windows{}, false
		}
		switch {
		case mo.n > now:
			continue
		case mo.n == now:
			w.thisMonth = mo.Month
		case mo.n == now-1:
			w.lastMonth = mo.Month
		}
		if mo.n >= jan {
			w.year.addExact(mo.Month)
		}
		if mo.n >= from {
			w.rolling.addExact(mo.Month)
		}
	}
	w.exact = true
	return w, true
}

// small reports whether every figure of m is within ±exactLimit.
func (m *Month) small() bool {
	return within(m.Spend) && within(m.Quantity) && within(m.Orders) && within(m.Points)
}

func within(n int64) bool { return n > -exactLimit && n < exactLimit }

func (m *Month) addExact(d Month) {
	m.Spend += d.Spend
	m.Quantity += d.Quantity
	m.Orders += d.Orders
	m.Points += d.Points
}

// afterPurchase is the tier window as of the event after the purchase's
// totals were recorded in its month, from the windows before it; ok is
// false when it must be summed again.
func (w *windows) afterPurchase(window string, d Month) (Month, bool) {
	if !w.exact || !d.small() {
		return Month{}, false
	}
	switch window {
	case "calendar_year":
		s := w.year
		s.addExact(d)
		return s, true
	case "previous_month", "lifetime":
		return Month{}, false // a lookup: nothing to save
	default: // rolling_12_months
		s := w.rolling
		s.addExact(d)
		return s, true
	}
}
