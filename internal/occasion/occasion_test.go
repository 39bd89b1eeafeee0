package occasion

import (
	"slices"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAnniversary(t *testing.T) {
	cases := []struct {
		since, day string
		years      int
		ok         bool
	}{
		{"2023-03-02", "2026-03-02", 3, true},
		{"2026-03-02", "2026-03-02", 0, false}, // the day it began is no anniversary
		{"2023-03-02", "2026-03-03", 0, false},
		{"2024-02-29", "2025-02-28", 1, true}, // common year: 28 February
		{"2024-02-29", "2028-02-28", 0, false},
		{"2024-02-29", "2028-02-29", 4, true},
	}
	for _, c := range cases {
		years, ok := anniversary(day(c.since), day(c.day))
		if ok != c.ok || (ok && years != c.years) {
			t.Errorf("anniversary(%s, %s) = %d %v, want %d %v", c.since, c.day, years, ok, c.years, c.ok)
		}
	}
}

func TestMonthDays(t *testing.T) {
	if got := monthDays(day("2027-02-28")); !slices.Equal(got, []string{"02-28", "02-29"}) {
		t.Errorf("28 February of a common year: %v", got)
	}
	if got := monthDays(day("2028-02-28")); !slices.Equal(got, []string{"02-28", "02-28"}) {
		t.Errorf("28 February of a leap year: %v", got)
	}
}
