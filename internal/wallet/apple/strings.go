package apple

import (
	"sort"
	"strings"

	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// catalog collects the translations of a pass's texts, keyed by their
// default-locale text (what pass.json holds).
type catalog struct {
	byLocale map[string]map[string]string
}

func newCatalog() *catalog {
	c := &catalog{byLocale: map[string]map[string]string{}}
	for _, l := range passview.Locales {
		c.byLocale[l] = map[string]string{}
	}
	return c
}

// add records a text's translations and returns what pass.json holds.
func (c *catalog) add(t passview.Text) string {
	key := t[defaultLocale]
	if key == "" {
		return ""
	}
	for l, v := range t {
		if v != key && c.byLocale[l] != nil {
			c.byLocale[l][key] = v
		}
	}
	return key
}

// file is a locale's pass.strings ("key" = "value"; lines, UTF-8).
func (c *catalog) file(locale string) []byte {
	m := c.byLocale[locale]
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(quote(k) + " = " + quote(m[k]) + ";\n")
	}
	return []byte(b.String())
}

var escaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`)

func quote(s string) string { return `"` + escaper.Replace(s) + `"` }
