package valid_test

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

func TestDate(t *testing.T) {
	today := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		in, want, code string
	}{
		{"1985-04-23", "1985-04-23", ""},
		{" 1985-04-23 ", "1985-04-23", ""},
		{"", "", ""},
		{"1900-01-01", "1900-01-01", ""},
		{"2026-03-02", "2026-03-02", ""}, // today
		{"2024-02-29", "2024-02-29", ""}, // leap day
		{"1899-12-31", "1899-12-31", "birthday:out_of_range"},
		{"2026-03-03", "2026-03-03", "birthday:out_of_range"}, // tomorrow
		{"2999-01-01", "2999-01-01", "birthday:out_of_range"},
		{"2025-02-29", "2025-02-29", "birthday:invalid_date"}, // not a leap year
		{"2026-13-01", "2026-13-01", "birthday:invalid_date"},
		{"23.04.1985", "23.04.1985", "birthday:invalid_date"},
		{"1985-4-23", "1985-4-23", "birthday:invalid_date"},
		{"1985-04-23T00:00:00Z", "1985-04-23T00:00:00Z", "birthday:invalid_date"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var f errs.Fields
			if got := valid.Date(&f, "birthday", tt.in, today); got != tt.want {
				t.Errorf("Date(%q) = %q, want %q", tt.in, got, tt.want)
			}
			wantCodes(t, &f, tt.code)
		})
	}
}

// "Today" is the calendar date of the time passed in, in its own location:
// shortly after midnight in a zone east of UTC it is already the next day
// there, and that date is today, not the future.
func TestDateTodayInTheClockLocation(t *testing.T) {
	east := time.FixedZone("UTC+3", 3*60*60)
	west := time.FixedZone("UTC-5", -5*60*60)
	tests := []struct {
		name  string
		today time.Time
		in    string
		code  string
	}{
		{"today just after midnight east of UTC", time.Date(2026, 3, 2, 0, 30, 0, 0, east), "2026-03-02", ""},
		{"tomorrow late in the evening west of UTC", time.Date(2026, 3, 2, 22, 0, 0, 0, west), "2026-03-03", "birthday:out_of_range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f errs.Fields
			valid.Date(&f, "birthday", tt.in, tt.today)
			wantCodes(t, &f, tt.code)
		})
	}
}
