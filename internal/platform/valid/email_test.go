package valid_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

func TestEmail(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 60) + ".com" // 259 characters
	tests := []struct {
		name     string
		in       string
		required bool
		want     string
		code     string
	}{
		{"plain", "anna@example.com", true, "anna@example.com", ""},
		{"lowered and trimmed", "  Anna.Lee@Example.COM ", true, "anna.lee@example.com", ""},
		{"plus and subdomain", "ann+loyal@mail.acme.co.uk", true, "ann+loyal@mail.acme.co.uk", ""},
		{"empty optional", "", false, "", ""},
		{"blank optional", "  ", false, "", ""},
		{"empty required", "", true, "", "email:required"},
		{"display name refused", "Anna <anna@example.com>", true, "anna <anna@example.com>", "email:invalid_email"},
		{"angle brackets refused", "<anna@example.com>", true, "<anna@example.com>", "email:invalid_email"},
		{"no at sign", "anna.example.com", true, "anna.example.com", "email:invalid_email"},
		{"no domain dot", "anna@localhost", true, "anna@localhost", "email:invalid_email"},
		{"two addresses", "a@example.com, b@example.com", true, "a@example.com, b@example.com", "email:invalid_email"},
		{"inner space", "anna lee@example.com", true, "anna lee@example.com", "email:invalid_email"},
		{"trailing dot", "anna@example.", true, "anna@example.", "email:invalid_email"},
		{"longer than 254", long, true, long, "email:invalid_email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			if got := valid.Email(&f, "email", tt.in, tt.required); got != tt.want {
				t.Errorf("Email(%q) = %q, want %q", tt.in, got, tt.want)
			}
			wantCodes(t, &f, tt.code)
		})
	}
}
