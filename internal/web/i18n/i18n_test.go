package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// English and Russian are complete; every language loads with its name
// and direction; Persian is right to left.
func TestCatalogs(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Languages(); !slices.Equal(got, []string{"en", "fa", "ru", "tr", "uk"}) {
		t.Fatalf("languages %v", got)
	}
	ru := c.Locale("ru")
	for _, k := range c.Keys("en") {
		if strings.HasSuffix(k, ".other") && ru.Has(strings.TrimSuffix(k, ".other")+".many") {
			continue // Russian plurals are one/few/many
		}
		if !ru.Has(k) {
			t.Errorf("Russian lacks %q", k)
		}
	}
	if c.Locale("fa").Dir() != "rtl" || c.Locale("en").Dir() != "ltr" {
		t.Error("directions")
	}
	if got := c.Locale("tr").T("orgs.none"); got != "No organization matches." {
		t.Errorf("a gap in Turkish should fall back to English, got %q", got)
	}
}

// Every message key the templates and handlers name exists in English;
// keys built at run time ("role." + role) are checked by their prefixes.
func TestEveryKeyUsedExists(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := c.Keys("en")
	re := regexp.MustCompile(`(?:\.T|\.N|\.Count|T\(|N\() ?"([a-z_]+\.[a-z_.]+)"`)
	root := filepath.Join("..")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".go")) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") {
				continue
			}
			if !slices.Contains(en, key) && !slices.Contains(en, key+".one") {
				t.Errorf("%s uses %q, which English lacks", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Numbers, money and dates as each language writes them.
func TestFormats(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 15, 4, 0, 0, time.UTC)
	tests := []struct {
		lang, num, money, neg, date string
	}{
		{"en", "1,234,567", "£12,345.67", "−£0.05", "6 Dec 2026 15:04"},
		{"ru", "1\u00a0234\u00a0567", "12\u00a0345,67 £", "−0,05 £", "06.12.2026 15:04"},
		{"fa", "۱٬۲۳۴٬۵۶۷", "۱۲٬۳۴۵٫۶۷ £", "−۰٫۰۵ £", "۲۰۲۶/۱۲/۰۶ ۱۵:۰۴"},
	}
	for _, tc := range tests {
		l := c.Locale(tc.lang)
		if got := l.Num(1234567); got != tc.num {
			t.Errorf("%s Num = %q, want %q", tc.lang, got, tc.num)
		}
		if got := l.Money(1234567, "GBP"); got != tc.money {
			t.Errorf("%s Money = %q, want %q", tc.lang, got, tc.money)
		}
		if got := l.Money(-5, "GBP"); got != tc.neg {
			t.Errorf("%s Money(-5) = %q, want %q", tc.lang, got, tc.neg)
		}
		if got := l.Date(at, Zone("")); got != tc.date {
			t.Errorf("%s Date = %q, want %q", tc.lang, got, tc.date)
		}
	}
	if got := c.Locale("en").Money(1500, "JPY"); got != "JPY1,500" {
		t.Errorf("a currency without minor units: %q", got)
	}
	ru := c.Locale("ru")
	for n, want := range map[int64]string{1: "1 балл", 3: "3 балла", 5: "5 баллов", 11: "11 баллов", 21: "21 балл", 112: "112 баллов"} {
		if got := ru.N("dash.points", n); got != want {
			t.Errorf("ru N(%d) = %q, want %q", n, got, want)
		}
	}
	if got := c.Match("", "ru-RU,ru;q=0.9,en;q=0.5").Code; got != "ru" {
		t.Errorf("Accept-Language ru-RU picked %s", got)
	}
	if got := c.Match("fa", "ru").Code; got != "fa" {
		t.Errorf("a remembered choice must win: %s", got)
	}
	if got := c.Match("", "de").Code; got != "en" {
		t.Errorf("an unknown language falls back to English: %s", got)
	}
}
