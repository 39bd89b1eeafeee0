package party

import (
	"testing"
	"time"
)

// TestGrantedAt judges consent at the sale's date. Terms v1 are published
// on 1 March, accepted on 10 March, revoked on 20 March; v2 is published
// on 1 April and accepted on 5 April.
func TestGrantedAt(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, day-1) }
	h := ConsentHistory{
		Terms: []TermsVersion{{1, d(1)}, {2, d(32)}},
		Decisions: []Consent{{Decision: Accepted, TermsVersion: 1, DecidedAt: d(10)}, {Decision: Revoked, TermsVersion: 1, DecidedAt: d(20)},
			{Decision: Accepted, TermsVersion: 1, DecidedAt: d(25)}, {Decision: Accepted, TermsVersion: 2, DecidedAt: d(36)}},
	}
	cases := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"a back-dated sale before the acceptance", d(5), false},
		{"the instant of the acceptance", d(10), true},
		{"a sale while accepted (reported after the revocation)", d(15), true},
		{"after the revocation", d(21), false},
		{"accepted again", d(26), true},
		{"v2 published: the v1 acceptance is outdated", d(33), false},
		{"v2 accepted", d(40), true},
	}
	for _, c := range cases {
		if got := h.GrantedAt(c.at); got != c.want {
			t.Errorf("%s (%s): %v, want %v", c.name, c.at.Format(time.DateOnly), got, c.want)
		}
	}
	if (ConsentHistory{}).GrantedAt(d(1)) {
		t.Error("no decision granted consent")
	}
}
