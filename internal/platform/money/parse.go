package money

import (
	"errors"
	"fmt"
	"strings"
)

// ParseAmount reads a decimal amount written by a person — "9000",
// "9,000.50", "-12.5" — into minor units with dec decimals, with a decimal
// point (commas group thousands). More decimals than dec are refused, not
// rounded, so nothing is silently lost.
func ParseAmount(s string, dec int) (int64, error) {
	if i := strings.LastIndexByte(s, '.'); i >= 0 && len(strings.TrimSpace(s[i+1:])) > dec {
		return 0, fmt.Errorf("more than %d decimals", dec)
	}
	return ParseDecimal(s, '.', dec)
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
