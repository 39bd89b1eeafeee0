package promo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// MaxBatch is the most codes one generate or import call makes.
const MaxBatch = 100_000

// Alphabet is what a '#' of a pattern becomes: digits and upper-case
// letters without those people confuse (0/O, 1/I). Its 32 characters
// give 5 bits each, and a random byte maps onto it without bias.
const Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// minBits is the least entropy of a generated code: 2^40 codes make
// guessing a valid one of a 100,000 batch a one-in-ten-million shot.
const minBits = 40

// Generated is the answer to a generate call.
type Generated struct {
	Campaign Campaign `json:"campaign"`
	Count    int64    `json:"generated"`
}

// Generate makes n new unique codes of a unique-code campaign from a
// pattern such as "ATLAS-####-####", each '#' a random character of
// Alphabet drawn with crypto/rand. Codes that exist already in the tenant
// are drawn again.
func (s *Service) Generate(ctx context.Context, p access.Principal, campaignID, pattern string, n int) (Generated, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Generated{}, err
	}
	var f errs.Fields
	if n < 1 || n > MaxBatch {
		f.Add("count", "out_of_range", "count must be between 1 and %d", MaxBatch)
	}
	checkPattern(&f, pattern)
	if err := f.Err(); err != nil {
		return Generated{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Generated, error) {
		c, err := uniqueCampaign(ctx, tx, p.TenantID, campaignID)
		if err != nil {
			return Generated{}, err
		}
		left := int64(n)
		for round := 0; left > 0 && round < 5; round++ {
			codes, err := draw(pattern, int(left))
			if err != nil {
				return Generated{}, err
			}
			k, err := tx.InsertCodes(ctx, p.TenantID, c.ID, codes, now)
			if err != nil {
				return Generated{}, err
			}
			left -= k
		}
		if left > 0 {
			return Generated{}, errs.E(errs.Conflict, "pattern_exhausted", "could not find %d more free codes for this pattern: use more '#'", left)
		}
		g := Generated{Campaign: c, Count: int64(n)}
		g.Campaign.Codes += g.Count
		return g, audit.Record(ctx, tx, p, now, "promo_codes.generated", "promo_campaign", c.ID, nil, map[string]any{"pattern": pattern, "count": n})
	})
}

// checkPattern refuses patterns with characters a code cannot hold or
// with less than minBits of randomness.
func checkPattern(f *errs.Fields, pattern string) {
	hashes := strings.Count(pattern, "#")
	fixed := strings.ReplaceAll(pattern, "#", "")
	switch {
	case len(pattern) > 80 || len(normalizeFixed(fixed))+hashes > 64:
		f.Add("pattern", "too_long", "a code has at most 64 characters besides spaces and dashes")
	case !codeChars(normalizeFixed(fixed)):
		f.Add("pattern", "invalid_pattern", "a pattern holds letters, digits, '_', '-', spaces and '#' (one random character each)")
	case hashes*5 < minBits:
		f.Add("pattern", "too_guessable", "the pattern gives %d bits of randomness; at least %d are needed: use %d or more '#'", hashes*5, minBits, minBits/5)
	}
}

// normalizeFixed is the fixed part of a pattern as it is stored.
func normalizeFixed(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
}

// draw makes n distinct codes from pattern, normalized.
func draw(pattern string, n int) ([]string, error) {
	tmpl := normalizeFixed(pattern)
	hashes := strings.Count(tmpl, "#")
	buf := make([]byte, hashes)
	seen := make(map[string]struct{}, n)
	out := make([]string, 0, n)
	code := []byte(tmpl)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return nil, fmt.Errorf("random codes: %w", err)
		}
		k := 0
		for i := range tmpl {
			if tmpl[i] == '#' {
				code[i] = Alphabet[buf[k]&31] // 256 is a multiple of 32: uniform
				k++
			}
		}
		if _, dup := seen[string(code)]; !dup {
			seen[string(code)] = struct{}{}
			out = append(out, string(code))
		}
	}
	return out, nil
}

// uniqueCampaign reads a campaign that takes generated or imported codes.
func uniqueCampaign(ctx context.Context, tx Tx, tenantID, id string) (Campaign, error) {
	c, err := tx.GetCampaign(ctx, tenantID, id)
	switch {
	case err == nil && c.Kind == Personal:
		err = errs.E(errs.Conflict, "personal_campaign", "campaign %s issues each organization its own codes by itself; codes are generated or imported for unique-code campaigns", id)
	case err == nil && c.Kind != Unique:
		err = errs.E(errs.Conflict, "shared_campaign", "campaign %s has one shared code; codes are generated or imported for unique-code campaigns", id)
	}
	return c, err
}

// ImportInput is a list of codes: a JSON array, or CSV text whose first
// column holds the codes (a header row "code" is skipped).
type ImportInput struct {
	Codes []string
	CSV   string
}

// Import adds a list of codes to a unique-code campaign. Every bad row is
// reported (codes[i]: invalid, repeated, or taken in the tenant) and then
// nothing is stored.
func (s *Service) Import(ctx context.Context, p access.Principal, campaignID string, in ImportInput) (Generated, error) {
	if err := p.Can(access.ManagePrograms); err != nil {
		return Generated{}, err
	}
	raw, err := importRows(in)
	if err != nil {
		return Generated{}, err
	}
	var f errs.Fields
	codes := make([]string, len(raw))
	at := make(map[string]int, len(raw))
	for i, r := range raw {
		codes[i] = checkCode(&f, fmt.Sprintf("codes[%d]", i), r)
		if j, dup := at[codes[i]]; dup && codes[i] != "" {
			f.Add(fmt.Sprintf("codes[%d]", i), "duplicate", "code %s is also row %d", codes[i], j)
		} else {
			at[codes[i]] = i
		}
	}
	now := s.Clock.Now()
	// The codes taken in the tenant are looked up even when some rows are
	// malformed, so that one answer names every bad row.
	return txn.Do(ctx, s.Store, func(tx Tx) (Generated, error) {
		c, err := uniqueCampaign(ctx, tx, p.TenantID, campaignID)
		if err != nil {
			return Generated{}, err
		}
		taken, err := tx.ExistingCodes(ctx, p.TenantID, codes)
		if err != nil {
			return Generated{}, err
		}
		for _, t := range taken {
			f.Add(fmt.Sprintf("codes[%d]", at[t]), "duplicate", "code %s already exists", t)
		}
		if err := f.Err(); err != nil {
			return Generated{}, err
		}
		k, err := tx.InsertCodes(ctx, p.TenantID, c.ID, codes, now)
		if err != nil {
			return Generated{}, err
		}
		g := Generated{Campaign: c, Count: k}
		g.Campaign.Codes += k
		return g, audit.Record(ctx, tx, p, now, "promo_codes.imported", "promo_campaign", c.ID, nil, map[string]any{"count": k})
	})
}

// importRows returns the codes of an import as given.
func importRows(in ImportInput) ([]string, error) {
	switch {
	case len(in.Codes) > 0 && in.CSV != "":
		return nil, errs.InvalidField("csv", "not_allowed", "send either codes or csv, not both")
	case len(in.Codes) > 0:
		if len(in.Codes) > MaxBatch {
			return nil, errs.InvalidField("codes", "too_many", "at most %d codes per import", MaxBatch)
		}
		return in.Codes, nil
	case in.CSV == "":
		return nil, errs.InvalidField("codes", "required", "send the codes as a JSON array (codes) or as CSV text (csv)")
	}
	r := csv.NewReader(strings.NewReader(in.CSV))
	r.FieldsPerRecord = -1
	var out []string
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, errs.InvalidField("csv", "invalid_csv", "CSV line %d: %v", line, err)
		}
		if line == 1 && strings.EqualFold(strings.TrimSpace(rec[0]), "code") {
			continue
		}
		if len(out) == MaxBatch {
			return nil, errs.InvalidField("csv", "too_many", "at most %d codes per import", MaxBatch)
		}
		out = append(out, rec[0])
	}
}

// Codes returns a page of a campaign's codes in code order.
func (s *Service) Codes(ctx context.Context, p access.Principal, campaignID string, r page.Request) (page.Page[Code], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Code]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Code, error) {
		if _, err := tx.GetCampaign(ctx, p.TenantID, campaignID); err != nil {
			return nil, err
		}
		rows, err := tx.ListCodes(ctx, p.TenantID, campaignID, r)
		if err != nil {
			return nil, err
		}
		return rows, withOwners(ctx, tx, p.TenantID, rows)
	})
	return page.Build(r, rows, func(c Code) string { return c.Code }), err
}

// withOwners fills the owner, end and issuing event of personal codes.
func withOwners(ctx context.Context, tx Tx, tenantID string, rows []Code) error {
	codes := make([]string, len(rows))
	for i, c := range rows {
		codes[i] = c.Code
	}
	own, err := tx.PersonalCodes(ctx, tenantID, codes)
	for i := range rows {
		if pc, ok := own[rows[i].Code]; ok {
			at := pc.ExpiresAt
			rows[i].Organization, rows[i].ExpiresAt, rows[i].IssuedEvent = pc.OrganizationID, &at, pc.IssuedEvent
		}
	}
	return err
}

// ExportCSV writes every code of a campaign as CSV: code, redeemed_at,
// redeemed_organization, redeemed_event, and for personal codes the
// organization, expires_at and issued_event.
func (s *Service) ExportCSV(ctx context.Context, p access.Principal, campaignID string) ([]byte, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"code", "redeemed_at", "redeemed_organization", "redeemed_event", "organization", "expires_at", "issued_event"})
	err := s.Store.Read(ctx, func(tx Tx) error {
		if _, err := tx.GetCampaign(ctx, p.TenantID, campaignID); err != nil {
			return err
		}
		r := page.Request{Limit: 5000}
		for {
			rows, err := tx.ListCodes(ctx, p.TenantID, campaignID, r)
			if err == nil {
				err = withOwners(ctx, tx, p.TenantID, rows)
			}
			if err != nil {
				return err
			}
			for _, c := range rows[:min(len(rows), r.Limit)] {
				_ = w.Write([]string{c.Code, rfc3339(c.RedeemedAt), c.RedeemedOrg, c.RedeemedEvent, c.Organization, rfc3339(c.ExpiresAt), c.IssuedEvent})
			}
			if len(rows) <= r.Limit {
				return nil
			}
			r.After = rows[r.Limit-1].Code
		}
	})
	w.Flush()
	return buf.Bytes(), err
}

// rfc3339 writes an optional time for a CSV cell.
func rfc3339(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
