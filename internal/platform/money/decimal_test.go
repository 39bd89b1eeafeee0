package money

import "testing"

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in   string
		dec  byte
		want int64
	}{
		{"9.949999999999999", 0, 995}, {"3.39", 0, 339}, {"1,234.56", 0, 123456}, {"1.234,56", 0, 123456},
		{"1 234,5", 0, 123450}, {"12,5", 0, 1250}, {"1,234", 0, 123400}, {"1,234", ',', 123}, {"-0.005", 0, -1},
		{"0.004", 0, 0}, {"(2.50)", 0, -250}, {"1'000.10", 0, 100010}, {"7", 0, 700}, {"+.5", 0, 50}, {"1\u00a0000,00", 0, 100000},
	} {
		got, err := ParseDecimal(c.in, c.dec, 2)
		if err != nil || got != c.want {
			t.Errorf("ParseDecimal(%q, %q) = %d, %v; want %d", c.in, c.dec, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "1.2.3x", "--1", "1e5", "12a"} {
		if v, err := ParseDecimal(bad, 0, 2); err == nil {
			t.Errorf("ParseDecimal(%q) = %d, want an error", bad, v)
		}
	}
	if _, err := ParseDecimal("99999999999999999999", 0, 2); err == nil {
		t.Error("an overflowing number is accepted")
	}
}
