package valid_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

func TestPhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"+447700900103", "+447700900103", true},
		{"+44 (7700) 900-103", "+447700900103", true},
		{" +44 7700 900103 ", "+447700900103", true},
		{"+44.20.7946.0958", "+442079460958", true},
		{"0044 7700 900103", "+447700900103", true},
		{"0044-20-7946-0958", "+442079460958", true},
		{"", "", true},
		{"   ", "", true},
		{"+1234567", "+1234567", true},                 // 7 digits: the shortest accepted
		{"+123456789012345", "+123456789012345", true}, // 15 digits: the longest
		{"+123456", "+123456", false},                  // 6 digits
		{"+1234567890123456", "+1234567890123456", false},
		{"07700 900103", "07700900103", false}, // national form, no country code
		{"447700900103", "447700900103", false},
		{"+0447700900103", "+0447700900103", false}, // country codes do not start with 0
		{"00", "+", false},
		{"+44 7700 900103 ext 5", "+447700900103ext5", false},
		{"+44/7700/900103", "+44/7700/900103", false},
		{"+44 7700 9OO103", "+4477009OO103", false}, // letter O, not zero
		{"++447700900103", "++447700900103", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f errs.Fields
			if got := valid.Phone(&f, "phone", tt.in); got != tt.want {
				t.Errorf("Phone(%q) = %q, want %q", tt.in, got, tt.want)
			}
			want := "phone:invalid_phone"
			if tt.ok {
				want = ""
			}
			wantCodes(t, &f, want)
		})
	}
}
