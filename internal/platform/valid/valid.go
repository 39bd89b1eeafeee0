// Package valid checks and normalizes the common kinds of input: trimmed
// text of bounded length, e-mail addresses, phone numbers, dates, words from
// a fixed list. Each check adds a field error that says what to fix.
package valid

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Text trims s and checks its length in characters; required text may not
// be empty. It returns the trimmed text.
func Text(f *errs.Fields, field, s string, required bool, maxLen int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add(field, "required", "%s is required", field)
	case utf8.RuneCountInString(s) > maxLen:
		f.Add(field, "too_long", "%s must be at most %d characters", field, maxLen)
	case strings.ContainsFunc(s, unicode.IsControl):
		f.Add(field, "invalid_characters", "%s must not contain control characters such as tabs or line breaks", field)
	case strings.ContainsFunc(s, Bidi):
		f.Add(field, "invalid_characters", bidiMessage, field)
	}
	return s
}

// Bidi reports whether r is a bidirectional control character (U+202E
// and its kind). Such characters make text display differently from what
// it is ("exe.png" shown for "gnp.exe"), so text shown to people refuses
// them; right-to-left scripts display correctly without them.
func Bidi(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

const bidiMessage = "%s must not contain bidirectional control characters (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C): they disguise how the text reads"

// LongText is Text that allows line breaks (descriptions, terms).
func LongText(f *errs.Fields, field, s string, required bool, maxLen int) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		f.Add(field, "required", "%s is required", field)
	case utf8.RuneCountInString(s) > maxLen:
		f.Add(field, "too_long", "%s must be at most %d characters", field, maxLen)
	case strings.ContainsFunc(s, func(r rune) bool { return r == 0 }):
		f.Add(field, "invalid_characters", "%s must not contain NUL characters", field)
	case strings.ContainsFunc(s, Bidi):
		f.Add(field, "invalid_characters", bidiMessage, field)
	}
	return s
}

// Email normalizes an e-mail address to lower case and checks its form.
// An empty address is allowed unless required.
func Email(f *errs.Fields, field, s string, required bool) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		if required {
			f.Add(field, "required", "%s is required", field)
		}
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		f.Add(field, "invalid_email", "%s must be a plain e-mail address such as anna@example.com", field)
	}
	return s
}

var phoneJunk = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "")
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Phone normalizes a phone number to E.164 (+ and 7–15 digits), accepting
// spaces, dashes, dots and brackets in the input, and a leading 00.
func Phone(f *errs.Fields, field, s string) string {
	s = phoneJunk.Replace(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	if !e164.MatchString(s) {
		f.Add(field, "invalid_phone", "%s must be an international number with country code, e.g. +44 20 7946 0958", field)
	}
	return s
}

// Date checks an optional calendar date in YYYY-MM-DD form between
// 1900-01-01 and today.
func Date(f *errs.Fields, field, s string, today time.Time) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		f.Add(field, "invalid_date", "%s must be a date in YYYY-MM-DD form, e.g. 1985-04-23", field)
		return s
	}
	y, m, dd := today.Date() // today's calendar date where the clock is
	if d.Year() < 1900 || d.After(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) {
		f.Add(field, "out_of_range", "%s must be between 1900-01-01 and today", field)
	}
	return s
}

// OneOf checks that s is one of the allowed words. An empty s is allowed
// unless required.
func OneOf[T ~string](f *errs.Fields, field string, s T, required bool, allowed []T) T {
	if s == "" {
		if required {
			f.Add(field, "required", "%s is required; one of %s", field, join(allowed))
		}
		return s
	}
	if !slices.Contains(allowed, s) {
		f.Add(field, "not_allowed", "%s must be one of %s", field, join(allowed))
	}
	return s
}

func join[T ~string](words []T) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = string(w)
	}
	return strings.Join(parts, ", ")
}

var externalIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/#@+-]{0,99}$`)

// ExternalID checks an id from another system (ERP, CRM): up to 100
// letters, digits and . _ : / # @ + -, starting with a letter or digit.
func ExternalID(f *errs.Fields, field, s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !externalIDRE.MatchString(s) {
		f.Add(field, "invalid_external_id", "%s must be up to 100 letters, digits and . _ : / # @ + - (no spaces), starting with a letter or digit", field)
	}
	return s
}
