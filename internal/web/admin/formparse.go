package admin

import (
	"slices"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// Reading typed fields of the offers' forms: each says what is wrong next
// to its field and gives zero, so that a form with any such error is
// shown again before a service is called.

// decimal reads a field of up to digits decimals as an integer of its
// smallest unit ("12.50" with 2 digits is 1250); "" is 0.
func decimal(f *web.Form, l *i18n.Locale, field string, digits int) int64 {
	s := f.Get(field)
	if s == "" {
		return 0
	}
	v, err := money.ParseDecimal(s, '.', digits)
	if err != nil || v < 0 {
		f.Invalid(field, l.T("offers.bad_number"))
		return 0
	}
	return v
}

// whole reads a non-negative whole number; "" is 0.
func whole(f *web.Form, l *i18n.Locale, field string) int64 {
	s := f.Get(field)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		f.Invalid(field, l.T("offers.bad_whole"))
		return 0
	}
	return v
}

// day reads a date field (YYYY-MM-DD, UTC); "" is nil.
func day(f *web.Form, l *i18n.Locale, field string) *time.Time {
	s := f.Get(field)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Invalid(field, l.T("analytics.bad_date"))
		return nil
	}
	return &t
}

// check is one checkbox of a group: its value, its label, and whether
// the form has it ticked.
type check struct {
	Value, Label string
	On           bool
}

// checks builds the checkbox group of a field from its values, each
// labelled by label, ticked as the form has them.
func checks(f *web.Form, field string, values []string, label func(string) string) []check {
	out := make([]check, len(values))
	for i, v := range values {
		out[i] = check{Value: v, Label: label(v), On: slices.Contains(f.Values[field], v)}
	}
	return out
}
