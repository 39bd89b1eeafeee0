package engine

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MarshalJSON writes months as the map of MonthKey to totals they were
// stored as, byte for byte what encoding/json made of that map: keys in
// ascending string order, null for nil; so a state stored by this engine
// is the text an older one stored.
func (ms Months) MarshalJSON() ([]byte, error) {
	if ms == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+80*len(ms))
	b = append(b, '{')
	for i, e := range ms.inKeyOrder() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = appendMonthKey(b, e.n)
		b = append(b, `":`...)
		b = e.appendJSON(b)
	}
	return append(b, '}'), nil
}

// inKeyOrder is ms in the order of their keys as strings, which is the
// order of the months unless a year is outside 0–9999 ("10000-01" sorts
// before "9999-12").
func (ms Months) inKeyOrder() Months {
	if len(ms) == 0 || ms[0].n >= 0 && ms[len(ms)-1].n < monthNum(10000, time.January) {
		return ms
	}
	c := ms.Clone()
	slices.SortFunc(c, func(a, b monthTotals) int { return strings.Compare(a.key(), b.key()) })
	return c
}

// appendMonthKey appends the MonthKey of month n.
func appendMonthKey(b []byte, n int64) []byte {
	if k, ok := monthBytes(yearMonth(n)); ok {
		return append(b, k[:]...)
	}
	return append(b, monthKey(yearMonth(n))...)
}

// appendJSON appends m as encoding/json writes a Month.
func (m *Month) appendJSON(b []byte) []byte {
	b = strconv.AppendInt(append(b, `{"spend":`...), m.Spend, 10)
	b = strconv.AppendInt(append(b, `,"quantity":`...), m.Quantity, 10)
	b = strconv.AppendInt(append(b, `,"orders":`...), m.Orders, 10)
	b = strconv.AppendInt(append(b, `,"points":`...), m.Points, 10)
	return append(b, '}')
}

// UnmarshalJSON reads the object of MonthKey to totals: as MarshalJSON
// writes it quickly (months_read.go), any other way (keys in any order,
// spaces, a key given twice: the last one counts, as for a map) as
// encoding/json reads a map. A key that is not a MonthKey is an error.
func (ms *Months) UnmarshalJSON(b []byte) error {
	if read, ok := readStored(b); ok {
		*ms = read
		return nil
	}
	read, err := readAny(b)
	if err == nil {
		*ms = read
	}
	return err
}

// readAny reads months through a map, as encoding/json reads one.
func readAny(b []byte) (Months, error) {
	var byKey map[string]Month
	if err := json.Unmarshal(b, &byKey); err != nil || byKey == nil { // null: no months
		return nil, err
	}
	ms := make(Months, 0, len(byKey))
	for k, m := range byKey {
		n, err := parseMonthKey(k)
		if err != nil {
			return nil, err
		}
		ms = append(ms, monthTotals{n, m})
	}
	slices.SortFunc(ms, func(a, b monthTotals) int { return cmp.Compare(a.n, b.n) })
	return ms, nil
}

// maxKeyYear bounds the years of keys read, far beyond any time.Time
// holds, so that a month number cannot overflow.
const maxKeyYear = 1 << 40

// parseMonthKey is the number of the month of a MonthKey. Only the key
// MonthKey writes for its month is one: "2026-11", not "2026-1" or
// "02026-11".
func parseMonthKey(k string) (int64, error) {
	i := strings.LastIndexByte(k, '-')
	if i > 0 {
		y, err1 := strconv.Atoi(k[:i])
		m, err2 := strconv.Atoi(k[i+1:])
		if err1 == nil && err2 == nil && y > -maxKeyYear && y < maxKeyYear && m >= 1 && m <= 12 &&
			monthKey(y, time.Month(m)) == k {
			return monthNum(y, time.Month(m)), nil
		}
	}
	return 0, fmt.Errorf("month key %q is not a month like 2026-11", k)
}
