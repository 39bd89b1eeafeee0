package pricing

import "math/bits"

// The arithmetic here is exact 128-bit integer arithmetic. It agrees with
// money.MulDiv(a, b, c, money.Floor) (a test checks it) but neither
// allocates nor loses the remainder: money.MulDiv goes through math/big,
// which would be most of the cost of pricing a cart, and the largest
// remainder spread needs the remainder. Every quotient here is at most its
// first operand (the ratio b/c is at most 1), so none can overflow.

// mulDiv returns floor(a*b/c) and the remainder, for a >= 0, 0 <= b <= c,
// c > 0.
func mulDiv(a, b, c int64) (q, r int64) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	uq, ur := bits.Div64(hi, lo, uint64(c)) // hi < c because a*b <= a*c < 2^63*c
	return int64(uq), int64(ur)
}

// rate returns amount × bp / 10000 rounded down: a discount of bp on
// amount that never exceeds its stated rate.
func rate(amount, bp int64) int64 {
	q, _ := mulDiv(amount, bp, 10000)
	return q
}

// acc sums products amount × bp exactly, so that a line whose units fall
// in several brackets is rounded once, not once per bracket.
type acc struct{ hi, lo uint64 }

// add adds amount × bp, for amount >= 0 and 0 <= bp <= 10000.
func (a *acc) add(amount, bp int64) {
	hi, lo := bits.Mul64(uint64(amount), uint64(bp))
	var carry uint64
	a.lo, carry = bits.Add64(a.lo, lo, 0)
	a.hi += hi + carry
}

// discount returns the sum divided by 10000, rounded down. The caller
// keeps the sum at most line amount × 10000, so hi < 10000 and the
// division cannot overflow.
func (a *acc) discount() int64 {
	q, _ := bits.Div64(a.hi, a.lo, 10000)
	return int64(q)
}
