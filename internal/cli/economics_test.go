package cli_test

import (
	"strings"
	"testing"
)

// TestEconomics: the calculator prints DOMAIN §8.3, §8.4 and §8.11 and
// refuses bad numbers with the flag to fix.
func TestEconomics(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"discount-vs-bonus", "--price", "9,000", "--margin", "30%", "--rate", "5%"}, "16.7% of the margin of 2,700.00"},
		{[]string{"discount-vs-bonus", "--price", "9000", "--margin", "2700", "--rate", "5%"}, "8.3% (margin left 4,950.00)"},
		{[]string{"discount-volume", "--price", "100", "--margin", "45", "--rate", "10%"}, "45.00/35.00 − 1 = 28.6%"},
		{[]string{"membership", "--fee", "220", "--discount", "50%"}, "pays off after 440.00 of full-price spend"},
	}
	for _, c := range cases {
		if r := mustRun(t, append([]string{"economics"}, c.args...)...); !strings.Contains(r.out, c.want) {
			t.Errorf("%v: %v, want %q", c.args, r, c.want)
		}
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"membership", "--fee", "22x", "--discount", "50%"}, `--fee "22x"`},
		{[]string{"membership", "--fee", "220", "--discount", "50"}, "a rate ends with %"},
		{[]string{"discount-volume", "--price", "100", "--margin", "5", "--rate", "10%"}, "takes the whole margin"},
	}
	for _, c := range bad {
		if r := run(t, append([]string{"economics"}, c.args...)...); r.code != 1 || !strings.Contains(r.errOut, c.want) {
			t.Errorf("%v: %v, want exit 1 and %q", c.args, r, c.want)
		}
	}
}
