package valid_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

func TestText(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		required bool
		max      int
		want     string
		code     string // "" for valid
	}{
		{"trimmed", "  Acme Ltd \n", true, 200, "Acme Ltd", ""},
		{"empty optional", "", false, 10, "", ""},
		{"blank optional", "   ", false, 10, "", ""},
		{"empty required", "", true, 10, "", "name:required"},
		{"blank required", " \t ", true, 10, "", "name:required"},
		{"exactly max", "abcde", true, 5, "abcde", ""},
		{"one over max", "abcdef", true, 5, "abcdef", "name:too_long"},
		{"spaces around do not count", "  abcde  ", true, 5, "abcde", ""},
		{"200 cyrillic letters are 200 characters", strings.Repeat("Ж", 200), true, 200, strings.Repeat("Ж", 200), ""},
		{"201 cyrillic letters", strings.Repeat("Ж", 201), true, 200, strings.Repeat("Ж", 201), "name:too_long"},
		{"emoji count as one character each", strings.Repeat("🧱", 5), true, 5, strings.Repeat("🧱", 5), ""},
		{"inner tab", "Acme\tLtd", true, 200, "Acme\tLtd", "name:invalid_characters"},
		{"inner line break", "Acme\nLtd", true, 200, "Acme\nLtd", "name:invalid_characters"},
		{"NUL byte", "Acme\x00", true, 200, "Acme\x00", "name:invalid_characters"},
		{"DEL", "Acme\x7f", true, 200, "Acme\x7f", "name:invalid_characters"},
		{"right-to-left override", "Invoice\u202egnp.exe", true, 200, "Invoice\u202egnp.exe", "name:invalid_characters"},
		{"bidi isolate", "a\u2067b\u2069", true, 200, "a\u2067b\u2069", "name:invalid_characters"},
		{"right-to-left mark", "a\u200fb", true, 200, "a\u200fb", "name:invalid_characters"},
		{"Persian without controls", "شرکت آجر", true, 200, "شرکت آجر", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			got := valid.Text(&f, "name", tt.in, tt.required, tt.max)
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			wantCodes(t, &f, tt.code)
		})
	}
}

func TestLongText(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		required bool
		max      int
		want     string
		code     string
	}{
		{"line breaks allowed", "1. Earn.\n2. Redeem.\n", true, 100, "1. Earn.\n2. Redeem.", ""},
		{"tabs allowed", "a\tb", true, 100, "a\tb", ""},
		{"empty required", "\n\n", true, 100, "", "body:required"},
		{"empty optional", "", false, 100, "", ""},
		{"length in characters", strings.Repeat("ü", 10), true, 10, strings.Repeat("ü", 10), ""},
		{"too long", strings.Repeat("ü", 11), true, 10, strings.Repeat("ü", 11), "body:too_long"},
		{"right-to-left override", "terms\u202e", true, 100, "terms\u202e", "body:invalid_characters"},
		{"NUL", "a\x00b", true, 100, "a\x00b", "body:invalid_characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			if got := valid.LongText(&f, "body", tt.in, tt.required, tt.max); got != tt.want {
				t.Errorf("LongText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			wantCodes(t, &f, tt.code)
		})
	}
}

func TestTextMessageNamesFieldAndLimit(t *testing.T) {
	var f errs.Fields
	valid.Text(&f, "items[2].name", strings.Repeat("x", 201), true, 200)
	e := errs.As(f.Err())
	if e == nil || len(e.Fields) != 1 {
		t.Fatalf("want one field error, got %v", f.Err())
	}
	if msg := e.Fields[0].Message; !strings.Contains(msg, "items[2].name") || !strings.Contains(msg, "200") {
		t.Errorf("message %q should name the field and the limit", msg)
	}
}
