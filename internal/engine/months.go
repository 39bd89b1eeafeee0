package engine

import (
	"cmp"
	"iter"
	"slices"
	"time"
)

// Months are a participant's totals per calendar month, in ascending
// order of month, at most one entry a month. Every evaluation copies its
// state and a state keeps up to keepMonths of them, so they are a slice of
// plain values rather than a map of pointers: a copy is one allocation and
// a memmove, with no hashing and nothing for the garbage collector to
// scan, and the months a window sums are one run of the slice. In JSON
// they are the object of MonthKey to totals a map used to be
// (months_json.go).
type Months []monthTotals

// monthTotals are the totals of one month.
type monthTotals struct {
	n int64 // monthNum of the month: ordered like the months
	Month
}

// monthNum numbers a month: year*12 + month - 1, so consecutive months
// are consecutive numbers and n-11 is eleven months before n.
func monthNum(y int, m time.Month) int64 { return int64(y)*12 + int64(m) - 1 }

// monthOf is the number of t's month (UTC).
func monthOf(t time.Time) int64 {
	y, m, _ := t.UTC().Date()
	return monthNum(y, m)
}

// yearMonth is the year and month of a month number.
func yearMonth(n int64) (int, time.Month) {
	y := n / 12
	if n%12 < 0 { // floor, for years before 0
		y--
	}
	return int(y), time.Month(n-y*12) + 1
}

// Len is how many months have totals.
func (ms Months) Len() int { return len(ms) }

// Get returns the totals of a month by its MonthKey ("2026-11"); ok is
// false when the month has none or the key is not a month.
func (ms Months) Get(key string) (m Month, ok bool) {
	n, err := parseMonthKey(key)
	if err != nil {
		return Month{}, false
	}
	i, ok := ms.index(n)
	if !ok {
		return Month{}, false
	}
	return ms[i].Month, true
}

// All yields each month's MonthKey and totals, in ascending order of month.
func (ms Months) All() iter.Seq2[string, Month] {
	return func(yield func(string, Month) bool) {
		for _, e := range ms {
			if !yield(e.key(), e.Month) {
				return
			}
		}
	}
}

// Clone returns a copy that shares nothing with ms; nil stays nil.
func (ms Months) Clone() Months { return slices.Clone(ms) }

// key is the MonthKey of e's month.
func (e *monthTotals) key() string { return monthKey(yearMonth(e.n)) }

// index finds month n: its position, or where it would be inserted.
func (ms Months) index(n int64) (int, bool) {
	return slices.BinarySearchFunc(ms, n, func(e monthTotals, n int64) int { return cmp.Compare(e.n, n) })
}

// get is the totals of month n, zero when it has none.
func (ms Months) get(n int64) Month {
	if i, ok := ms.index(n); ok {
		return ms[i].Month
	}
	return Month{}
}

// at returns the totals of month n to change, adding the month when it
// has none. The pointer is good until the next month is added.
func (ms *Months) at(n int64) *Month {
	i, ok := ms.index(n)
	if !ok {
		*ms = slices.Insert(*ms, i, monthTotals{n: n})
	}
	return &(*ms)[i].Month
}

// dropBefore removes the months before month n, in place.
func (ms *Months) dropBefore(n int64) {
	if i, _ := ms.index(n); i > 0 {
		*ms = slices.Delete(*ms, 0, i)
	}
}

// sum adds up the months from one number to another, both included, in
// ascending order and saturating.
func (ms Months) sum(from, to int64) Month {
	var s Month
	i, _ := ms.index(from)
	for ; i < len(ms) && ms[i].n <= to; i++ {
		s.plus(ms[i].Month)
	}
	return s
}
