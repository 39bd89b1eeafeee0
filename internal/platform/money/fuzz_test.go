package money

import "testing"

// FuzzParseDecimal reads arbitrary text as an ERP number (the importer's
// and the CLI's parser): it never panics, refuses with its own errors,
// stays within its bound, and reads back what it formats: whatever it
// accepts, formatted with AppendAmount and parsed again, is the same value.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"1,234.56", "1.234,56", "1 234,56", "1'234.56", "(12.5)", "-0,01", "+7", "9.949999999999999",
		"1e5", "", "  ", "12.345.678,9", "٣٤", "1\u00a0000", "999999999999999999999"} {
		f.Add(s, byte(0), 2)
		f.Add(s, byte(','), 3)
	}
	f.Fuzz(func(t *testing.T, s string, dec byte, digits int) {
		if dec != 0 && dec != '.' && dec != ',' || digits < 0 || digits > 6 {
			return
		}
		v, err := ParseDecimal(s, dec, digits)
		if err != nil {
			if err != ErrNotNumber && err != ErrTooLarge {
				t.Fatalf("ParseDecimal(%q): unexpected error %v", s, err)
			}
			return
		}
		if v > maxScaled || v < -maxScaled {
			t.Fatalf("ParseDecimal(%q) = %d, beyond the bound", s, v)
		}
		back, err := ParseDecimal(string(AppendAmount(nil, v, digits)), '.', digits)
		if err != nil || back != v {
			t.Fatalf("ParseDecimal(%q) = %d, formatted %q, parsed again %d, %v", s, v, AppendAmount(nil, v, digits), back, err)
		}
	})
}
