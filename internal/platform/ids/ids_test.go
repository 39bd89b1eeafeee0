package ids_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

const tokenAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

func TestToken(t *testing.T) {
	tests := []struct {
		bytes, wantLen int
	}{
		{0, 0},
		{1, 2},
		{5, 8},
		{8, 13},  // API key ids
		{20, 32}, // API key secrets: 160 bits
	}
	for _, tt := range tests {
		tok := ids.Token(tt.bytes)
		if len(tok) != tt.wantLen {
			t.Errorf("Token(%d) = %q: %d characters, want %d", tt.bytes, tok, len(tok), tt.wantLen)
		}
		for _, c := range tok {
			if !strings.ContainsRune(tokenAlphabet, c) {
				t.Errorf("Token(%d) = %q contains %q, outside the alphabet", tt.bytes, tok, c)
			}
		}
	}
}

func TestTokenAvoidsLookAlikes(t *testing.T) {
	var b strings.Builder
	for range 200 {
		b.WriteString(ids.Token(20))
	}
	all := b.String()
	for _, c := range "lo01_=" {
		if strings.ContainsRune(all, c) {
			t.Errorf("tokens contain %q", c)
		}
	}
}

func TestTokenUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 10000 {
		tok := ids.Token(8)
		if seen[tok] {
			t.Fatalf("Token(8) repeated %q", tok)
		}
		seen[tok] = true
	}
}

func TestNew(t *testing.T) {
	prev := ""
	seen := map[string]bool{}
	for i := range 2000 {
		id := ids.New()
		if !ids.Valid(id) {
			t.Fatalf("New() = %q is not Valid", id)
		}
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 7 {
			t.Fatalf("New() = %q: version %v, err %v; want UUIDv7", id, u.Version(), err)
		}
		if seen[id] {
			t.Fatalf("New() repeated %q", id)
		}
		seen[id] = true
		if i > 0 && id <= prev {
			t.Fatalf("New() = %q sorts before the previous %q; ids must follow creation order", id, prev)
		}
		prev = id
	}
}

func TestValid(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"01a2084d-6dd2-7a2e-a7a2-f27662cfaa4b", true},
		{"01A2084D-6DD2-7A2E-A7A2-F27662CFAA4B", true},
		{"00000000-0000-0000-0000-000000000000", true}, // any UUID
		{"", false},
		{"not-an-id", false},
		{"01a2084d6dd27a2ea7a2f27662cfaa4b", false},              // no dashes
		{"{01a2084d-6dd2-7a2e-a7a2-f27662cfaa4b}", false},        // braces
		{"urn:uuid:01a2084d-6dd2-7a2e-a7a2-f27662cfaa4b", false}, // URN
		{"01a2084d-6dd2-7a2e-a7a2-f27662cfaa4g", false},          // not hex
		{"01a2084d-6dd2-7a2e-a7a2_f27662cfaa4b", false},          // wrong separator
		{"ext:R-3001", false},
		{"01a2084d-6dd2-7a2e-a7a2-f27662cfaa4b ", false},
	}
	for _, tt := range tests {
		if got := ids.Valid(tt.in); got != tt.want {
			t.Errorf("Valid(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestHash(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := ids.Hash(tt.in); got != tt.want {
			t.Errorf("Hash(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	s := ids.Token(20)
	if ids.Hash(s) != ids.Hash(s) {
		t.Error("Hash is not deterministic")
	}
	if ids.Hash(s) == ids.Hash(s+"x") {
		t.Error("different secrets have the same hash")
	}
}

func TestEqual(t *testing.T) {
	h := ids.Hash("secret")
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same", h, ids.Hash("secret"), true},
		{"different", h, ids.Hash("Secret"), false},
		{"prefix", h, h[:10], false},
		{"empty vs hash", "", h, false},
		{"both empty", "", "", true},
	}
	for _, tt := range tests {
		if got := ids.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Equal = %v, want %v", tt.name, got, tt.want)
		}
	}
}
