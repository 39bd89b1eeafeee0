package money

import (
	"math"
	"testing"
)

func TestFormat(t *testing.T) {
	amounts := []struct {
		v    int64
		dec  int
		want string
	}{
		{2200000, 2, "22,000.00"}, {0, 2, "0.00"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {-123456, 2, "-1,234.56"},
		{999, 0, "999"}, {1000, 0, "1,000"}, {1234567, 3, "1,234.567"},
		{math.MinInt64, 0, "-9,223,372,036,854,775,808"}, {math.MaxInt64, 8, "92,233,720,368.54775807"},
	}
	for _, tc := range amounts {
		if got := string(AppendAmount(nil, tc.v, tc.dec)); got != tc.want {
			t.Errorf("AppendAmount(%d, %d) = %q, want %q", tc.v, tc.dec, got, tc.want)
		}
	}
	rates := []struct {
		bp   int64
		want string
	}{{0, "0%"}, {500, "5%"}, {550, "5.5%"}, {750, "7.5%"}, {1234, "12.34%"}, {1, "0.01%"}, {10010, "100.1%"}, {15000, "150%"}, {-550, "-5.5%"}}
	for _, tc := range rates {
		if got := string(AppendPercent(nil, tc.bp)); got != tc.want {
			t.Errorf("AppendPercent(%d) = %q, want %q", tc.bp, got, tc.want)
		}
	}
	if got := string(AppendGrouped(nil, 1234567)); got != "1,234,567" {
		t.Errorf("AppendGrouped = %q", got)
	}
}
