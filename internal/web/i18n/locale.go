package i18n

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/message"
)

// Locale is one language's messages and formats; templates call its
// methods ({{.L.T "nav.dashboard"}}).
type Locale struct {
	Code    string
	cat     *Catalog
	msgs    map[string]string
	printer *message.Printer
	plural  func(n int64) string
}

// Name is the language's own name ("Русский").
func (l *Locale) Name() string { return l.msgs["lang.name"] }

// Dir is "rtl" for right-to-left languages, else "ltr".
func (l *Locale) Dir() string { return l.msgs["lang.dir"] }

// Has reports whether the language itself defines key (no fallback).
func (l *Locale) Has(key string) bool { _, ok := l.msgs[key]; return ok }

// T returns the message of key, formatted with args (fmt verbs); a key
// missing here falls back to English, then to the key itself, so that a
// gap shows rather than breaks the page.
func (l *Locale) T(key string, args ...any) string {
	m, ok := l.msgs[key]
	if !ok {
		if m, ok = l.cat.msgs[Fallback][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return m
	}
	return l.printer.Sprintf(m, args...)
}

// N is T for a count: key.one, key.few, key.many or key.other by the
// language's plural rules, with the count (formatted) as its argument.
func (l *Locale) N(key string, n int64) string {
	form := key + "." + l.plural(n)
	if _, ok := l.msgs[form]; !ok {
		form = key + ".other"
	}
	return strings.ReplaceAll(l.T(form), "{n}", l.Num(n))
}

// Count is N for an int (a template's len).
func (l *Locale) Count(key string, n int) string { return l.N(key, int64(n)) }

// Num formats an integer with the language's digits and grouping.
func (l *Locale) Num(n int64) string { return l.printer.Sprintf("%d", n) }

// Percent formats a ratio (0.125) as a percentage with one decimal.
func (l *Locale) Percent(r float64) string { return l.printer.Sprintf("%.1f%%", r*100) }

// Money formats minor units of a currency ("GBP") as the language writes
// money: grouping, decimal separator, symbol and its place.
func (l *Locale) Money(minor int64, code string) string { return l.money(minor, code, true) }

// MoneyWhole is Money without the minor units (rounded down), for axes.
func (l *Locale) MoneyWhole(minor int64, code string) string { return l.money(minor, code, false) }

func (l *Locale) money(minor int64, code string, fraction bool) string {
	dec := 2
	if u, err := currency.ParseISO(code); err == nil {
		dec, _ = currency.Standard.Rounding(u)
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = -u
	}
	pow := uint64(1)
	for range dec {
		pow *= 10
	}
	num := l.printer.Sprintf("%d", u/pow)
	if dec > 0 && fraction {
		frac := fmt.Sprintf("%0*d", dec, u%pow)
		num += l.T("num.decimal") + l.digits(frac)
	}
	out := strings.NewReplacer("{sym}", symbol(code), "{num}", num).Replace(l.T("money.pattern"))
	if neg {
		return "−" + out
	}
	return out
}

// digits writes ASCII digits in the language's digits.
func (l *Locale) digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteString(l.printer.Sprintf("%d", int(r-'0')))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func symbol(code string) string {
	switch code {
	case "GBP":
		return "£"
	case "EUR":
		return "€"
	case "USD":
		return "$"
	case "RUB":
		return "₽"
	case "UAH":
		return "₴"
	case "TRY":
		return "₺"
	}
	return code
}

// Zone is the time zone dates are shown in: the tenant's. Until tenants
// have a time zone setting it is UTC; this is the one place to change.
func Zone(tenantZone string) *time.Location {
	if tenantZone == "" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(tenantZone); err == nil {
		return loc
	}
	return time.UTC
}

// Date formats a time as a date and time in loc, as the language writes it.
func (l *Locale) Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return l.digits(t.In(loc).Format(l.T("date.time")))
}

// Day formats a time as a date only.
func (l *Locale) Day(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return l.digits(t.In(loc).Format(l.T("date.day")))
}

// Short formats a date without its year, for chart axes.
func (l *Locale) Short(t time.Time, loc *time.Location) string {
	return l.digits(t.In(loc).Format(l.T("date.short")))
}

// Since says how long ago t was ("3 h", "2 d"), for waiting times.
func (l *Locale) Since(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Hour:
		return l.N("ago.minutes", int64(d/time.Minute))
	case d < 48*time.Hour:
		return l.N("ago.hours", int64(d/time.Hour))
	}
	return l.N("ago.days", int64(d/(24*time.Hour)))
}

// pluralRule returns the CLDR cardinal rule of a language for integers.
func pluralRule(code string) func(int64) string {
	switch code {
	case "ru", "uk":
		return func(n int64) string {
			n = max(n, -n)
			switch {
			case n%10 == 1 && n%100 != 11:
				return "one"
			case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
				return "few"
			}
			return "many"
		}
	case "fa":
		return func(n int64) string {
			if n == 0 || n == 1 {
				return "one"
			}
			return "other"
		}
	}
	return func(n int64) string {
		if n == 1 {
			return "one"
		}
		return "other"
	}
}
