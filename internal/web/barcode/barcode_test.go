package barcode

import (
	"strings"
	"testing"
)

func TestPatternsAreCode128(t *testing.T) {
	seen := map[string]bool{}
	for i, p := range patterns {
		sum := 0
		for _, w := range p {
			sum += int(w - '0')
		}
		want := 11
		if i == stop {
			want = 13
		}
		if sum != want || seen[p] {
			t.Fatalf("symbol %d (%s): %d modules or repeated", i, p, sum)
		}
		seen[p] = true
	}
}

func TestSymbolsWithCheck(t *testing.T) {
	// "PJJ123C" in code set B: (104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7) mod 103 = 55.
	s, err := Symbols("PJJ123C")
	if err != nil || s[len(s)-2] != 55 || s[0] != startB {
		t.Fatalf("PJJ123C: %v %v", s, err)
	}
	// Digits pair up in code set C: start, 12, 34, check, stop.
	s, _ = Symbols("1234")
	if len(s) != 5 || s[0] != startC || s[1] != 12 || s[2] != 34 || s[3] != (105+12+2*34)%103 {
		t.Fatalf("1234: %v", s)
	}
	if _, err := Symbols("café"); err == nil {
		t.Fatal("a non-ASCII character was encoded")
	}
}

func TestSVGsEscapeAndDraw(t *testing.T) {
	b, err := Code128("4012 <x>")
	if err != nil || strings.Contains(string(b), "<x>") || !strings.Contains(string(b), "&lt;x&gt;") {
		t.Fatalf("barcode: %v %s", err, b)
	}
	q, err := QR("https://example.com/p/", "card 4012")
	if err != nil || !strings.HasPrefix(string(q), "<svg") || !strings.Contains(string(q), "h1v1h-1z") {
		t.Fatalf("qr: %v", err)
	}
}
