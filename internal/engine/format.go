package engine

import (
	"fmt"
	"strconv"
)

// The formatters below run for every rule that fires, so they append to a
// small buffer instead of going through fmt.

// formatMoney writes minor units as an amount with two decimals and
// thousands separators: 2200000 → "22,000.00".
func formatMoney(minor int64) string {
	var buf [32]byte
	return string(appendMoney(buf[:0], minor))
}

func appendMoney(b []byte, minor int64) []byte {
	u := abs(minor)
	if minor < 0 {
		b = append(b, '-')
	}
	b = appendThousands(b, u/100)
	cents := u % 100
	return append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
}

// appendThousands writes n with a comma every three digits.
func appendThousands(b []byte, n uint64) []byte {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	first := len(d) % 3
	if first == 0 {
		first = 3
	}
	b = append(b, d[:first]...)
	for i := first; i < len(d); i += 3 {
		b = append(b, ',')
		b = append(b, d[i:i+3]...)
	}
	return b
}

// percent writes basis points as a percentage: 550 → "5.5%".
func percent(bp int64) string {
	var buf [32]byte
	return string(appendPercent(buf[:0], bp))
}

func appendPercent(b []byte, bp int64) []byte {
	if bp < 0 {
		return append(b, slowPercent(bp)...)
	}
	b = strconv.AppendInt(b, bp/100, 10)
	b = appendFraction(b, bp%100, 2)
	return append(b, '%')
}

// factor writes basis points as a multiplier: 15000 → "1.5".
func factor(bp int64) string {
	if bp < 0 {
		return slowFactor(bp)
	}
	var buf [32]byte
	b := strconv.AppendInt(buf[:0], bp/10000, 10)
	return string(appendFraction(b, bp%10000, 4))
}

// appendFraction writes "." and r as width digits without trailing
// zeros, or nothing when r is 0 (0 <= r < 10^width).
func appendFraction(b []byte, r int64, width int) []byte {
	if r == 0 {
		return b
	}
	var digits [8]byte
	for i := width - 1; i >= 0; i-- {
		digits[i] = byte('0' + r%10)
		r /= 10
	}
	n := width
	for n > 0 && digits[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, digits[:n]...)
}

// slowPercent and slowFactor are the general forms, kept for negative
// values (which definitions never hold).
func slowPercent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if r := bp % 100; r != 0 {
		s += "." + trimZeros(fmt.Sprintf("%02d", r))
	}
	return s + "%"
}

func slowFactor(bp int64) string {
	s := strconv.FormatInt(bp/10000, 10)
	if r := bp % 10000; r != 0 {
		s += "." + trimZeros(fmt.Sprintf("%04d", r))
	}
	return s
}

func trimZeros(s string) string {
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s
}

// itoa is strconv.FormatInt in base 10.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// points writes a number of points: "1 point", "2,584 points".
func points(n int64) string {
	var buf [40]byte
	return string(appendPoints(buf[:0], n))
}

func appendPoints(b []byte, n int64) []byte {
	if n == 1 {
		return append(b, "1 point"...)
	}
	if n < 0 {
		b = append(b, '-')
	}
	return append(appendThousands(b, abs(n)), " points"...)
}
