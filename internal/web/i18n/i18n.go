// Package i18n is the web areas' translation catalog and locale-aware
// formatting: messages by key from one JSON file per language (English
// and Russian complete; Ukrainian, Turkish and Persian loaded alike, with
// English filling their gaps), plural forms by CLDR rules, numbers and
// money grouped as the language writes them, and the writing direction.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.json
var files embed.FS

// Fallback is the language every message exists in.
const Fallback = "en"

// Catalog holds every language's messages.
type Catalog struct {
	msgs    map[string]map[string]string
	codes   []string
	matched []string // the code of each of the matcher's tags
	matcher language.Matcher
	locales map[string]*Locale
}

// Load reads the embedded catalog. Every language must define its name
// ("lang.name") and direction ("lang.dir"); other keys may be missing and
// fall back to English.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}, locales: map[string]*Locale{}}
	entries, err := fs.Glob(files, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := c.add(e); err != nil {
			return nil, err
		}
	}
	for code, m := range c.msgs {
		if m["lang.name"] == "" || (m["lang.dir"] != "ltr" && m["lang.dir"] != "rtl") {
			return nil, fmt.Errorf("i18n: %s needs lang.name and lang.dir (ltr or rtl) in locales/%s.json", code, code)
		}
		c.codes = append(c.codes, code)
	}
	if c.msgs[Fallback] == nil {
		return nil, fmt.Errorf("i18n: no %s catalog", Fallback)
	}
	slices.Sort(c.codes)
	// The fallback first: the matcher's default.
	tags := []language.Tag{language.MustParse(Fallback)}
	c.matched = []string{Fallback}
	for _, code := range c.codes {
		if code != Fallback {
			tags, c.matched = append(tags, language.MustParse(code)), append(c.matched, code)
		}
	}
	c.matcher = language.NewMatcher(tags)
	for _, code := range c.codes {
		c.locales[code] = c.newLocale(code)
	}
	return c, nil
}

// add merges one catalog file: "<lang>.json" (the language's name,
// direction and the shared keys) or "<area>.<lang>.json" (one area's keys,
// so that areas grow their catalogs without touching each other's files).
// A key defined twice for a language is an error, not a silent override.
func (c *Catalog) add(name string) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return err
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	base := strings.TrimSuffix(path.Base(name), ".json")
	code := base[strings.LastIndex(base, ".")+1:]
	if c.msgs[code] == nil {
		c.msgs[code] = map[string]string{}
	}
	for k, v := range m {
		if _, dup := c.msgs[code][k]; dup {
			return fmt.Errorf("i18n: %s: key %q is already defined for %s", name, k, code)
		}
		c.msgs[code][k] = v
	}
	return nil
}

// Languages lists the catalog's language codes, sorted.
func (c *Catalog) Languages() []string { return slices.Clone(c.codes) }

// Keys lists the keys of a language's file (for completeness tests).
func (c *Catalog) Keys(code string) []string {
	var out []string
	for k := range c.msgs[code] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Locale returns a language's locale, or English's for an unknown code.
func (c *Catalog) Locale(code string) *Locale {
	if l, ok := c.locales[code]; ok {
		return l
	}
	return c.locales[Fallback]
}

// Match picks the catalog language for a remembered choice (first) or an
// Accept-Language header.
func (c *Catalog) Match(choice, acceptLanguage string) *Locale {
	if _, ok := c.locales[choice]; ok {
		return c.locales[choice]
	}
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	_, i, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return c.locales[Fallback]
	}
	return c.locales[c.matched[i]]
}

func (c *Catalog) newLocale(code string) *Locale {
	tag := language.MustParse(code)
	return &Locale{Code: code, cat: c, msgs: c.msgs[code], printer: message.NewPrinter(tag), plural: pluralRule(code)}
}
