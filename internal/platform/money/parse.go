package money

import (
	"errors"
	"strings"
)

// ErrSyntax is returned for text that is not an amount or a rate.
var ErrSyntax = errors.New("not a number: use digits with an optional decimal point, e.g. 9000, 9,000.50 or 5.5%")

// ParseAmount reads a decimal amount written by a person — "9000",
// "9,000.50", "-12.5" — into minor units with dec decimals. Commas group
// thousands; more decimals than dec are refused, not rounded, so nothing
// is silently lost.
func ParseAmount(s string, dec int) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > dec || !digits(whole) || !digits(frac) {
		return 0, ErrSyntax
	}
	frac += strings.Repeat("0", dec-len(frac))
	var n int64
	for _, c := range whole + frac {
		var err error
		if n, err = Mul(n, 10); err != nil {
			return 0, err
		}
		if n, err = Add(n, int64(c-'0')); err != nil {
			return 0, err
		}
	}
	if neg {
		n = -n
	}
	return n, nil
}

// ParseRate reads a percentage — "5%", "7.5%", "0.25%" — into basis points.
func ParseRate(s string) (int64, error) {
	s = strings.TrimSpace(s)
	p, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, errors.New("a rate ends with %, e.g. 5% or 7.5%")
	}
	return ParseAmount(p, 2)
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
