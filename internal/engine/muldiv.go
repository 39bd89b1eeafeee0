package engine

import (
	"math"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// mulDiv is money.MulDiv (a×num/den rounded as r, exactly) without big
// integers when a×num fits in an int64, which is nearly always: every
// earn goes through it several times.
func mulDiv(a, num, den int64, r money.Rounding) (int64, error) {
	p, over := mulChecked(a, num)
	if over || den == 0 || p == math.MinInt64 || den == math.MinInt64 {
		return money.MulDiv(a, num, den, r)
	}
	q, m := p/den, p%den // truncated towards zero
	if m == 0 {
		return q, nil
	}
	neg := (p < 0) != (den < 0)
	twice, d := 2*abs(m), abs(den) // |m| < |den| < 2^63: no overflow in uint64
	var up bool                    // move one step away from zero?
	switch r {
	case money.Floor:
		up = neg
	case money.Ceil:
		up = !neg
	case money.HalfUp:
		up = twice >= d
	case money.HalfEven:
		up = twice > d || (twice == d && q&1 != 0)
	default:
		return money.MulDiv(a, num, den, r) // its error names the rounding
	}
	if up { // |den| >= 2 here, so |q| <= 2^62: no overflow
		if neg {
			q--
		} else {
			q++
		}
	}
	return q, nil
}
