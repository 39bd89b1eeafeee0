package engine

import (
	"math"
	"time"
)

// readStored reads months written by MarshalJSON — compact, fields in
// their order, four-digit years, months ascending — without the
// reflection over a map encoding/json would take, most of the time of
// loading a stored state; ok is false for any other text, which
// UnmarshalJSON then reads in full.
func readStored(b []byte) (ms Months, ok bool) {
	c := cursor{rest: b, ok: true}
	c.lit("{")
	if c.ok && len(c.rest) > 0 && c.rest[0] == '}' {
		return Months{}, len(c.rest) == 1
	}
	ms = make(Months, 0, len(b)/57+1) // a month takes 57 bytes or more
	for c.ok {
		var e monthTotals
		e.n = c.key()
		c.lit(`:{"spend":`)
		e.Spend = c.int()
		c.lit(`,"quantity":`)
		e.Quantity = c.int()
		c.lit(`,"orders":`)
		e.Orders = c.int()
		c.lit(`,"points":`)
		e.Points = c.int()
		c.lit("}")
		if !c.ok || len(ms) > 0 && e.n <= ms[len(ms)-1].n || len(c.rest) == 0 {
			return nil, false
		}
		ms = append(ms, e)
		if c.rest[0] == '}' {
			return ms, len(c.rest) == 1
		}
		c.lit(",")
	}
	return nil, false
}

// cursor reads text from its start; ok turns false at the first thing
// that is not as expected, and stays so.
type cursor struct {
	rest []byte
	ok   bool
}

// lit reads s.
func (c *cursor) lit(s string) {
	c.ok = c.ok && len(c.rest) >= len(s) && string(c.rest[:len(s)]) == s
	if c.ok {
		c.rest = c.rest[len(s):]
	}
}

// key reads a quoted "2026-11" and returns its month number.
func (c *cursor) key() int64 {
	r := c.rest
	if !c.ok || len(r) < 9 || r[0] != '"' || r[5] != '-' || r[8] != '"' {
		c.ok = false
		return 0
	}
	y, m := digits(r[1:5]), digits(r[6:8])
	c.ok = y >= 0 && m >= 1 && m <= 12
	c.rest = r[9:]
	return monthNum(y, time.Month(m))
}

// digits is the number b's decimal digits make, -1 if one is not a digit.
func digits(b []byte) int {
	n := 0
	for _, d := range b {
		if d < '0' || d > '9' {
			return -1
		}
		n = n*10 + int(d-'0')
	}
	return n
}

// int reads an integer as encoding/json writes an int64: an optional
// minus, no leading zero, no fraction or exponent (what follows it is
// read next and must be a comma or a brace).
func (c *cursor) int() int64 {
	r := c.rest
	neg := len(r) > 0 && r[0] == '-'
	if neg {
		r = r[1:]
	}
	n := 0
	var u uint64
	for ; n < len(r) && n < 20 && r[n] >= '0' && r[n] <= '9'; n++ {
		u = u*10 + uint64(r[n]-'0')
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if !c.ok || n == 0 || n > 19 || n > 1 && r[0] == '0' || u > limit {
		c.ok = false
		return 0
	}
	c.rest = r[n:]
	if neg {
		return int64(-u)
	}
	return int64(u)
}
