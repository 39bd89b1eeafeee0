package money

import (
	"errors"
	"strings"
)

// Number formats of ERP exports differ by locale: "1,234.56", "1.234,56",
// "1 234,56", "1'234.56". ParseDecimal reads them exactly (no floating
// point), to an integer scaled by 10^digits, rounding the digits beyond
// half away from zero: 9.949999999999999 at two digits is 995.

// Errors of ParseDecimal.
var (
	ErrNotNumber = errors.New("not a number")
	ErrTooLarge  = errors.New("number too large")
)

// maxScaled bounds parsed values well inside int64, so that later products
// are checked by the event limits rather than overflowing here.
const maxScaled = 1_000_000_000_000_000

// ParseDecimal parses s with decimal separator dec ('.' or ','; 0 = decide
// from the text) and scales it to digits decimal places.
func ParseDecimal(s string, dec byte, digits int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "+"):
		s = strings.TrimSpace(s[1:])
	case strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")"): // accounting negative
		neg, s = true, strings.TrimSpace(s[1:len(s)-1])
	}
	if s == "" {
		return 0, ErrNotNumber
	}
	if dec == 0 {
		dec = guessDecimal(s)
	}
	intPart, frac, err := splitDecimal(s, dec)
	if err != nil {
		return 0, err
	}
	var v int64
	for _, c := range intPart {
		v = v*10 + int64(c-'0')
		if v > maxScaled {
			return 0, ErrTooLarge
		}
	}
	for i := 0; i < digits; i++ {
		d := int64(0)
		if i < len(frac) {
			d = int64(frac[i] - '0')
		}
		v = v*10 + d
		if v > maxScaled {
			return 0, ErrTooLarge
		}
	}
	if len(frac) > digits && frac[digits] >= '5' {
		v++ // half away from zero: the sign is applied after
	}
	if neg {
		v = -v
	}
	return v, nil
}

// guessDecimal decides the decimal separator of one value: of "," and "."
// the last one present is the decimal separator when both occur; a single
// "," followed by other than exactly three digits is a decimal comma.
func guessDecimal(s string) byte {
	c, d := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	switch {
	case c >= 0 && d >= 0 && c > d:
		return ','
	case c >= 0 && d < 0 && strings.Count(s, ",") == 1 && len(s)-c-1 != 3:
		return ','
	}
	return '.'
}

// splitDecimal drops thousands separators (spaces, apostrophes and the
// separator that is not the decimal one) and returns the digits before
// and after the decimal separator.
func splitDecimal(s string, dec byte) (string, string, error) {
	thousands := byte(',')
	if dec == ',' {
		thousands = '.'
	}
	var intPart, frac []byte
	seenDec := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if seenDec {
				frac = append(frac, c)
			} else {
				intPart = append(intPart, c)
			}
		case c == dec && !seenDec:
			seenDec = true
		case (c == thousands || c == ' ' || c == '\'') && !seenDec && len(intPart) > 0:
		case c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 && !seenDec: // no-break space
			i++
		default:
			return "", "", ErrNotNumber
		}
	}
	if len(intPart) == 0 && len(frac) == 0 {
		return "", "", ErrNotNumber
	}
	return string(intPart), string(frac), nil
}
