package promo

import (
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

func TestCheckPattern(t *testing.T) {
	for pattern, code := range map[string]string{
		"ATLAS-####-####":       "",
		"########":              "",
		"ATLAS-###-####":        "too_guessable",
		"#######":               "too_guessable",
		"ATLAS-####-####!":      "invalid_pattern",
		"ÄTLAS-####-####":       "invalid_pattern",
		strings.Repeat("#", 65): "too_long",
	} {
		var f errs.Fields
		checkPattern(&f, pattern)
		err := f.Err()
		switch {
		case code == "" && err != nil:
			t.Errorf("%q: %v", pattern, err)
		case code == "":
		case err == nil:
			t.Errorf("%q: no error, want %s", pattern, code)
		case len(errs.As(err).Fields) != 1 || errs.As(err).Fields[0].Code != code:
			t.Errorf("%q: %v, want %s", pattern, err, code)
		}
	}
}

func TestDraw(t *testing.T) {
	codes, err := draw("ab-####-####", 2000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 10 || !strings.HasPrefix(c, "AB") || seen[c] {
			t.Fatalf("code %q: wrong shape or repeated", c)
		}
		seen[c] = true
		for _, r := range c[2:] {
			if !strings.ContainsRune(Alphabet, r) {
				t.Fatalf("code %q has %q, outside the alphabet", c, r)
			}
		}
	}
	if len(Alphabet) != 32 || strings.ContainsAny(Alphabet, "01OI") {
		t.Fatalf("alphabet %q must have 32 unambiguous characters", Alphabet)
	}
}

func TestFailures(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := &Service{Clock: clk, FailLimit: 3}
	k, other := access.Principal{TenantID: "t", ActorType: access.ActorAPIKey, ActorID: "k"}, access.Principal{TenantID: "t", ActorType: access.ActorAPIKey, ActorID: "o"}
	for i := range 3 {
		if err := s.failed(k); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		clk.Advance(time.Second)
	}
	if err := s.failed(k); !errs.Is(err, errs.RateLimited) {
		t.Fatalf("4th attempt: %v, want rate limited", err)
	}
	if err := s.failed(other); err != nil {
		t.Fatalf("another key: %v", err)
	}
	clk.Advance(time.Minute)
	if err := s.failed(k); err != nil {
		t.Fatalf("next minute: %v", err)
	}
}
