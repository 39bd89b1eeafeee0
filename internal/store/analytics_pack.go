package store

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
)

// Packed facts (analytics_org_facts, migration 0027): an organization's
// sales facts of a UTC year as text, "<ms>,<amount>,<cost>;" per purchase
// and "<ms>,R<amount>,<cost>;" per return, in base 36. Appending is one
// upsert that concatenates, so the hook neither reads nor rewrites the row.

// packFact is one fact's text.
func packFact(f analytics.Fact) string {
	b := strconv.AppendInt(make([]byte, 0, 32), f.OccurredMs, 36)
	b = append(b, ',')
	if f.Type == analytics.FactReturn {
		b = append(b, 'R') // not a base-36 digit: those are lowercase
	}
	b = strconv.AppendInt(b, f.Amount, 36)
	b = append(b, ',')
	b = strconv.AppendInt(b, f.Cost, 36)
	return string(append(b, ';'))
}

func yearOf(msec int64) int64 { return int64(time.UnixMilli(msec).UTC().Year()) }

// appendPacked adds facts to their organizations' packs.
func (t *Tx) appendPacked(ctx context.Context, facts []analytics.Fact) error {
	type key struct {
		org  string
		year int64
	}
	packs := map[key]string{}
	var keys []key
	for _, f := range facts {
		k := key{f.OrganizationID, yearOf(f.OccurredMs)}
		if _, ok := packs[k]; !ok {
			keys = append(keys, k)
		}
		packs[k] += packFact(f)
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.year, b.year)) })
	tenant := facts[0].TenantID
	return t.upsertRows(ctx, "analytics_org_facts", []string{"tenant_id", "organization_id", "year", "facts"},
		"(tenant_id, organization_id, year) DO UPDATE SET facts = analytics_org_facts.facts || excluded.facts",
		len(keys), func(i int) []any { k := keys[i]; return []any{tenant, k.org, k.year, packs[k]} })
}

var errBadPack = errors.New("analytics_org_facts: malformed packed fact")

// unpack appends the facts of a pack to dst.
func unpack(dst []analytics.Fact, s []byte, f analytics.Fact) ([]analytics.Fact, error) {
	for len(s) > 0 {
		var ok bool
		f.Type = analytics.FactPurchase
		if f.OccurredMs, s, ok = base36(s, ','); !ok {
			return dst, errBadPack
		}
		if len(s) > 0 && s[0] == 'R' {
			f.Type, s = analytics.FactReturn, s[1:]
		}
		if f.Amount, s, ok = base36(s, ','); !ok {
			return dst, errBadPack
		}
		if f.Cost, s, ok = base36(s, ';'); !ok {
			return dst, errBadPack
		}
		dst = append(dst, f)
	}
	return dst, nil
}

// base36 reads a signed base-36 number up to end, and what follows end.
// A report reads millions of these, so a digit's value is a table look-up
// rather than a comparison of ranges.
func base36(s []byte, end byte) (int64, []byte, bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	var v int64
	for i, c := range s {
		d := digit36[c]
		if d < 36 {
			v = v*36 + int64(d)
			continue
		}
		if c != end || i == 0 {
			return 0, nil, false
		}
		if neg {
			v = -v
		}
		return v, s[i+1:], true
	}
	return 0, nil, false
}

// digit36 is each byte's value as a base-36 digit (lowercase), 255 when it
// is none.
var digit36 = func() (t [256]byte) {
	for i := range t {
		t[i] = 255
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c - 'a' + 10
	}
	return t
}()
