// Package money does integer arithmetic on amounts (minor currency units,
// points) with explicit rounding and overflow checks: a result that does not
// fit in int64 is an error, never a wrapped-around number.
package money

import (
	"errors"
	"math/big"
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

// MulDiv returns a*num/den rounded as r, computed exactly.
func MulDiv(a, num, den int64, r Rounding) (int64, error) {
	if den == 0 {
		return 0, ErrDivByZero
	}
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(num))
	d := big.NewInt(den)
	q, m := new(big.Int).QuoRem(p, d, new(big.Int)) // truncated towards zero
	if m.Sign() != 0 {
		neg := (p.Sign() < 0) != (d.Sign() < 0)
		twice := new(big.Int).Abs(new(big.Int).Mul(m, big.NewInt(2)))
		cmp := twice.Cmp(new(big.Int).Abs(d))
		up := false // move one step away from zero?
		switch r {
		case Floor:
			up = neg
		case Ceil:
			up = !neg
		case HalfUp:
			up = cmp >= 0
		case HalfEven:
			up = cmp > 0 || (cmp == 0 && q.Bit(0) == 1)
		default:
			return 0, errors.New("unknown rounding " + string(r))
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

// Add returns a+b, or ErrOverflow.
func Add(a, b int64) (int64, error) {
	s := a + b
	if (s > a) != (b > 0) {
		return 0, ErrOverflow
	}
	return s, nil
}
