// Package money does integer arithmetic on amounts (minor currency units,
// points) with explicit rounding and overflow checks: a result that does not
// fit in int64 is an error, never a wrapped-around number.
package money

import (
	"errors"
	"math"
	"math/big"
	"math/bits"
)

// Rounding says how a fractional result becomes an integer.
type Rounding string

// Rounding modes.
const (
	Floor    Rounding = "floor"     // towards minus infinity (the default for points earned)
	Ceil     Rounding = "ceil"      // towards plus infinity
	HalfUp   Rounding = "half_up"   // to nearest, halves away from zero
	HalfEven Rounding = "half_even" // to nearest, halves to even (banker's)
)

// Roundings lists every rounding mode.
var Roundings = []Rounding{Floor, Ceil, HalfUp, HalfEven}

// ErrOverflow is returned when a result does not fit in int64.
var ErrOverflow = errors.New("amount out of range")

// ErrDivByZero is returned for a zero denominator.
var ErrDivByZero = errors.New("division by zero")

// MulDiv returns a*num/den rounded as r, computed exactly. When a*num
// fits in int64, which is nearly always, it divides machine integers; only
// larger products go through big integers.
func MulDiv(a, num, den int64, r Rounding) (int64, error) {
	if den == 0 {
		return 0, ErrDivByZero
	}
	p, ok := mul64(a, num)
	if !ok || den == math.MinInt64 {
		return mulDivBig(a, num, den, r)
	}
	q, m := p/den, p%den // truncated towards zero
	if m == 0 {
		return q, nil
	}
	up, err := awayFromZero(r, (p < 0) != (den < 0), uabs(m), uabs(den), q&1 != 0)
	if err != nil {
		return 0, err
	}
	if up { // |den| >= 2 here, so |q| < 2^62: no overflow
		if (p < 0) != (den < 0) {
			q--
		} else {
			q++
		}
	}
	return q, nil
}

// awayFromZero decides whether a truncated quotient moves one step away
// from zero, given the sign of the exact result, the remainder and the
// divisor (both absolute) and whether the quotient is odd.
func awayFromZero(r Rounding, neg bool, rem, den uint64, odd bool) (bool, error) {
	switch r {
	case Floor:
		return neg, nil
	case Ceil:
		return !neg, nil
	case HalfUp:
		return 2*rem >= den, nil
	case HalfEven:
		return 2*rem > den || (2*rem == den && odd), nil
	}
	return false, errors.New("unknown rounding " + string(r))
}

// mul64 returns a*b and whether it fits in int64 (excluding MinInt64, so
// that its absolute value fits too).
func mul64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uabs(a), uabs(b))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

func uabs(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

// mulDivBig is MulDiv for products beyond int64.
func mulDivBig(a, num, den int64, r Rounding) (int64, error) {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(num))
	d := big.NewInt(den)
	q, m := new(big.Int).QuoRem(p, d, new(big.Int)) // truncated towards zero
	if m.Sign() != 0 {
		neg := (p.Sign() < 0) != (d.Sign() < 0)
		twice := new(big.Int).Abs(new(big.Int).Mul(m, big.NewInt(2)))
		up, err := awayFromZero(r, neg, 0, 0, q.Bit(0) == 1)
		if r == HalfUp || r == HalfEven {
			cmp := twice.Cmp(new(big.Int).Abs(d))
			up = cmp > 0 || (cmp == 0 && (r == HalfUp || q.Bit(0) == 1))
		}
		if err != nil {
			return 0, err
		}
		if up {
			if neg {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	if !q.IsInt64() {
		return 0, ErrOverflow
	}
	return q.Int64(), nil
}

// Mul returns a*b, or ErrOverflow.
func Mul(a, b int64) (int64, error) {
	p, ok := mul64(a, b)
	if !ok {
		return 0, ErrOverflow
	}
	return p, nil
}

// Add returns a+b, or ErrOverflow.
func Add(a, b int64) (int64, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, ErrOverflow
	}
	return s, nil
}
