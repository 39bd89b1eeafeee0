package analytics

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestMonthOfMatchesTheCalendar checks the arithmetic month against
// time's calendar: around every month's first instant from 1600 to 2400
// (before 1970 the milliseconds are negative), and at random instants.
func TestMonthOfMatchesTheCalendar(t *testing.T) {
	calendar := func(ms int64) int {
		u := time.UnixMilli(ms).UTC()
		return u.Year()*12 + int(u.Month()) - 1
	}
	check := func(ms int64) {
		if got, want := monthOf(ms), calendar(ms); got != want {
			t.Fatalf("monthOf(%d) (%s) = %d, want %d", ms, time.UnixMilli(ms).UTC(), got, want)
		}
	}
	for m := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() < 2400; m = m.AddDate(0, 1, 0) {
		for _, d := range []int64{-1, 0, 1} {
			check(m.UnixMilli() + d)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		check(r.Int64N(30_000_000_000_000) - 15_000_000_000_000)
	}
}
