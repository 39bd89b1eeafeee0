package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The fast formatters must give exactly what the plain forms
// give; these are the plain forms.

func plainMoney(minor int64) string {
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%s.%02d", sign, plainThousands(u/100), u%100)
}

func plainThousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func plainPoints(n int64) string {
	if n == 1 {
		return "1 point"
	}
	if n < 0 {
		return "-" + plainThousands(-uint64(n)) + " points"
	}
	return plainThousands(uint64(n)) + " points"
}

// plainRate writes bp/scale with up to width decimals, trailing zeros cut.
func plainRate(bp, scale int64, width int) string {
	sign, u := "", uint64(bp)
	if bp < 0 {
		sign, u = "-", -u
	}
	s := fmt.Sprintf("%s%d.%0*d", sign, u/uint64(scale), width, u%uint64(scale))
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

func plainPercent(bp int64) string { return plainRate(bp, 100, 2) + "%" }
func plainFactor(bp int64) string  { return plainRate(bp, 10000, 4) }

func interesting(r *rand.Rand) int64 {
	switch r.IntN(6) {
	case 0:
		return r.Int64N(1000) - 500
	case 1:
		return r.Int64N(1_000_000_000)
	case 2:
		return -r.Int64()
	case 3:
		return []int64{0, 1, -1, 99, 100, 101, 999, 1000, 10000, 99999, 100000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}[r.IntN(14)]
	}
	return r.Int64()
}

func TestFormatters(t *testing.T) {
	for _, c := range []struct {
		bp      int64
		pct, fc string
	}{{0, "0%", "0"}, {550, "5.5%", "0.055"}, {1000, "10%", "0.1"}, {15000, "150%", "1.5"}, {13333, "133.33%", "1.3333"}, {1, "0.01%", "0.0001"}, {10010, "100.1%", "1.001"}} {
		if percent(c.bp) != c.pct || factor(c.bp) != c.fc {
			t.Errorf("%d: percent %q factor %q, want %q %q", c.bp, percent(c.bp), factor(c.bp), c.pct, c.fc)
		}
	}
	if formatMoney(2200000) != "22,000.00" || formatMoney(-5) != "-0.05" || formatMoney(100) != "1.00" {
		t.Fatalf("formatMoney: %q %q %q", formatMoney(2200000), formatMoney(-5), formatMoney(100))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		n := interesting(r)
		if got, want := formatMoney(n), plainMoney(n); got != want {
			t.Fatalf("formatMoney(%d) = %q, want %q", n, got, want)
		}
		if got, want := points(n), plainPoints(n); got != want {
			t.Fatalf("points(%d) = %q, want %q", n, got, want)
		}
		if bp := n % 2_000_000; percent(bp) != plainPercent(bp) || factor(bp) != plainFactor(bp) {
			t.Fatalf("bp %d: %q %q, want %q %q", bp, percent(bp), factor(bp), plainPercent(bp), plainFactor(bp))
		}
	}
}

// TestKeys: month, period and window keys are what time.Format gives.
func TestKeys(t *testing.T) {
	plainPeriod := func(period string, t time.Time) string {
		t = t.UTC()
		switch period {
		case "day":
			return t.Format("2006-01-02")
		case "month":
			return t.Format("2006-01")
		case "quarter":
			return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
		case "year":
			return t.Format("2006")
		}
		return "all"
	}
	plainBounds := func(window string, t time.Time) (string, string) {
		first := firstOfMonth(t)
		switch window {
		case "calendar_year":
			return t.UTC().Format("2006") + "-01", t.UTC().Format("2006-01")
		case "previous_month":
			k := first.AddDate(0, -1, 0).Format("2006-01")
			return k, k
		default:
			return first.AddDate(0, -11, 0).Format("2006-01"), t.UTC().Format("2006-01")
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	cet := time.FixedZone("CET", 3600)
	times := []time.Time{t0, time.Date(2026, 1, 1, 0, 30, 0, 0, cet), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-3, 5, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), {}}
	for range 20_000 {
		times = append(times, time.Unix(r.Int64N(1<<40)-1<<39, 0).In(cet))
	}
	for _, at := range times {
		if got, want := MonthKey(at), at.UTC().Format("2006-01"); got != want {
			t.Fatalf("MonthKey(%v) = %q, want %q", at, got, want)
		}
		for _, p := range []string{"day", "month", "quarter", "year", "lifetime"} {
			if got, want := periodKey(p, at), plainPeriod(p, at); got != want {
				t.Fatalf("periodKey(%s, %v) = %q, want %q", p, at, got, want)
			}
		}
		for _, w := range []string{"calendar_year", "previous_month", "rolling_12_months"} {
			fy, fm, ty, tm := windowMonths(w, at)
			a, b := monthKey(fy, fm), monthKey(ty, tm)
			c, d := plainBounds(w, at)
			if a != c || b != d {
				t.Fatalf("window months(%s, %v) = %q %q, want %q %q", w, at, a, b, c, d)
			}
		}
	}
}
