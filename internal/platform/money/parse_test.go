package money

import "testing"

func TestParseAmount(t *testing.T) {
	good := map[string]int64{"9000": 900000, "9,000.50": 900050, "-12.5": -1250, " 0.07 ": 7, ".5": 50, "7.": 700}
	for s, want := range good {
		if got, err := ParseAmount(s, 2); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "-", ".", "1.234", "1e3", "12a", "1.2.3", "99999999999999999999"} {
		if got, err := ParseAmount(s, 2); err == nil {
			t.Errorf("ParseAmount(%q) = %d, want an error", s, got)
		}
	}
}

func TestParseRate(t *testing.T) {
	for s, want := range map[string]int64{"5%": 500, "7.5%": 750, "0.25%": 25, "100%": 10000} {
		if got, err := ParseRate(s); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"5", "5.555%", "%", "x%"} {
		if _, err := ParseRate(s); err == nil {
			t.Errorf("ParseRate(%q) accepted", s)
		}
	}
}
