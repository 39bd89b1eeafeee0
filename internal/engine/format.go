package engine

import (
	"strconv"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// The formatters below run for every rule that fires, so they append to a
// small buffer instead of going through fmt; amounts and rates use the
// same formatting as pricing (platform/money).

// formatMoney writes minor units as an amount with two decimals and
// thousands separators: 2200000 → "22,000.00".
func formatMoney(minor int64) string {
	var buf [32]byte
	return string(money.AppendAmount(buf[:0], minor, 2))
}

// percent writes basis points as a percentage: 550 → "5.5%".
func percent(bp int64) string {
	var buf [32]byte
	return string(money.AppendPercent(buf[:0], bp))
}

// factor writes basis points as a multiplier: 15000 → "1.5".
func factor(bp int64) string {
	var buf [32]byte
	return string(appendFactor(buf[:0], bp))
}

func appendFactor(b []byte, bp int64) []byte {
	u := uint64(bp)
	if bp < 0 {
		b, u = append(b, '-'), -u
	}
	b = strconv.AppendUint(b, u/10000, 10)
	return appendFraction(b, u%10000, 4)
}

// appendFraction writes "." and r as width digits without trailing
// zeros, or nothing when r is 0 (0 <= r < 10^width).
func appendFraction(b []byte, r uint64, width int) []byte {
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
	u := uint64(n)
	if n < 0 {
		b, u = append(b, '-'), -u
	}
	return append(money.AppendGrouped(b, u), " points"...)
}
