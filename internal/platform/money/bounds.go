package money

import "math"

// Bounds of the amounts the product accepts at its edges (API, imports,
// the command line). They are far above what any business sends (an
// amount of 10^15 minor units is ten trillion in a two-decimal currency,
// ten million dollars' worth even in the weakest currency), and they keep
// the sums of realistic volumes far from the int64 limit of about
// 9.2×10^18: a tenant needs more than nine thousand maximal events before
// a sum over all of them no longer fits. Sums that could still overflow
// are computed with Checked, which says so instead of wrapping around.
const (
	MaxQuantity  int64 = 1_000_000_000         // 10^9 units on one line
	MaxUnitPrice int64 = 1_000_000_000_000     // 10^12 minor units for one unit (also a unit's cost)
	MaxAmount    int64 = 1_000_000_000_000_000 // 10^15 minor units or points: any single amount, line, total, price, fee, budget or limit
)

// Checked adds amounts in place with an overflow check: an addition
// that would overflow leaves its destination as it was and is
// remembered, so that a loop adds freely and checks once (Err). The zero
// value is ready to use.
type Checked struct{ over bool }

// Add adds x to *dst.
func (c *Checked) Add(dst *int64, x int64) {
	v, err := Add(*dst, x)
	if err != nil {
		c.over = true
		return
	}
	*dst = v
}

// AddProduct adds a×b (a quantity times a price) to *dst.
func (c *Checked) AddProduct(dst *int64, a, b int64) {
	p, err := Mul(a, b)
	if err != nil {
		c.over = true
		return
	}
	c.Add(dst, p)
}

// Sub subtracts x from *dst.
func (c *Checked) Sub(dst *int64, x int64) {
	if x == math.MinInt64 { // it has no opposite
		c.over = true
		return
	}
	c.Add(dst, -x)
}

// Diff returns a−b.
func (c *Checked) Diff(a, b int64) int64 {
	c.Sub(&a, b)
	return a
}

// Err is ErrOverflow once any operation overflowed, else nil.
func (c *Checked) Err() error {
	if c.over {
		return ErrOverflow
	}
	return nil
}

// AddSat returns a+b, saturated at the int64 limits instead of wrapping:
// for running figures compared with thresholds (a lifetime spend past the
// limit is still past every threshold).
func AddSat(a, b int64) int64 {
	s, err := Add(a, b)
	switch {
	case err == nil:
		return s
	case b > 0:
		return math.MaxInt64
	default:
		return math.MinInt64
	}
}
