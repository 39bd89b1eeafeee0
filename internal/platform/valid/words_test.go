package valid_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

type size string

var sizes = []size{"micro", "small", "medium"}

func TestOneOf(t *testing.T) {
	tests := []struct {
		name     string
		in       size
		required bool
		code     string
	}{
		{"allowed", "small", true, ""},
		{"allowed optional", "medium", false, ""},
		{"empty optional", "", false, ""},
		{"empty required", "", true, "size:required"},
		{"not allowed", "huge", false, "size:not_allowed"},
		{"case matters", "Small", true, "size:not_allowed"},
		{"no trimming", " small", true, "size:not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			if got := valid.OneOf(&f, "size", tt.in, tt.required, sizes); got != tt.in {
				t.Errorf("OneOf(%q) = %q, want it unchanged", tt.in, got)
			}
			wantCodes(t, &f, tt.code)
		})
	}
}

func TestOneOfMessageListsTheWords(t *testing.T) {
	for _, in := range []size{"", "huge"} {
		var f errs.Fields
		valid.OneOf(&f, "size", in, true, sizes)
		e := errs.As(f.Err())
		if e == nil || len(e.Fields) != 1 {
			t.Fatalf("OneOf(%q): want one field error, got %v", in, f.Err())
		}
		if msg := e.Fields[0].Message; !strings.Contains(msg, "micro, small, medium") {
			t.Errorf("OneOf(%q) message %q should list the allowed words", in, msg)
		}
	}
}

func TestExternalID(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"erp id", "R-3001", "R-3001", true},
		{"trimmed", "  D-1000 ", "D-1000", true},
		{"empty", "", "", true},
		{"all allowed punctuation", "a1._:/#@+-z", "a1._:/#@+-z", true},
		{"starts with digit", "0042", "0042", true},
		{"100 characters", strings.Repeat("x", 100), strings.Repeat("x", 100), true},
		{"101 characters", strings.Repeat("x", 101), strings.Repeat("x", 101), false},
		{"starts with hyphen", "-R1", "-R1", false},
		{"starts with dot", ".R1", ".R1", false},
		{"inner space", "R 3001", "R 3001", false},
		{"non-ASCII letter", "Ж-1", "Ж-1", false},
		{"comma", "R,1", "R,1", false},
		{"quote", "R'1", "R'1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			if got := valid.ExternalID(&f, "external_id", tt.in); got != tt.want {
				t.Errorf("ExternalID(%q) = %q, want %q", tt.in, got, tt.want)
			}
			want := "external_id:invalid_external_id"
			if tt.ok {
				want = ""
			}
			wantCodes(t, &f, want)
		})
	}
}
