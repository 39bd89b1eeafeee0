package engine

import (
	"slices"
	"testing"
	"time"
)

// TestMonthsOrderAndPrune: months added in any order are kept in order
// of month, found by key, and a new month drops those older than
// keepMonths before it (and only those).
func TestMonthsOrderAndPrune(t *testing.T) {
	var st State
	for _, n := range []int{5, -30, 0, 3, -24, 4, -25} { // months from November 2026
		*st.Months.at(monthOf(t0) + int64(n)) = Month{Spend: int64(n)}
	}
	var keys []string
	for k := range st.Months.All() {
		keys = append(keys, k)
	}
	want := []string{"2024-05", "2024-10", "2024-11", "2026-11", "2027-02", "2027-03", "2027-04"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	if m, ok := st.Months.Get("2027-02"); !ok || m.Spend != 3 {
		t.Fatalf("2027-02: %+v %v", m, ok)
	}
	if _, ok := st.Months.Get("2026-12"); ok {
		t.Fatal("a month without totals found")
	}
	st.add(t0.AddDate(0, 1, 0), Month{Spend: 7}) // December 2026: keeps December 2024 on
	keys = keys[:0]
	for k := range st.Months.All() {
		keys = append(keys, k)
	}
	want = []string{"2026-11", "2026-12", "2027-02", "2027-03", "2027-04"}
	if !slices.Equal(keys, want) || st.Months.Len() != 5 {
		t.Fatalf("after a December purchase: keys %q, want %q", keys, want)
	}
	if got := st.Window("calendar_year", time.Date(2027, 3, 5, 0, 0, 0, 0, time.UTC)).Spend; got != 3+4 {
		t.Fatalf("2027 to March: %d", got)
	}
}
