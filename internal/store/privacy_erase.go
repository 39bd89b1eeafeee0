package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErasePerson pseudonymizes a member (locked first): the profile's
// personal fields, the names they signed consents with, and every copy of
// their personal values in the audit log, stored API responses, queued
// messages and cards' wallet states; it deletes their inbox, sign-in
// codes, sessions and device registrations and empties their registration
// answers. Ledger rows, events and aggregates hold ids and amounts only
// and stay.
func (t *Tx) ErasePerson(ctx context.Context, tenantID, memberID, pseudonym string, now time.Time) (int64, error) {
	var name, phone, handle, birthday string
	var email, ext *string
	err := t.queryRow(ctx, `SELECT name, email, phone, messenger_handle, birthday, external_id FROM members
		WHERE tenant_id = $1 AND id = $2`+t.d.forUpdate(), tenantID, memberID).Scan(&name, &email, &phone, &handle, &birthday, &ext)
	if err != nil {
		return 0, err
	}
	res, err := t.exec(ctx, `UPDATE members SET name = $3, email = NULL, phone = '', messenger_app = '', messenger_handle = '',
		birthday = '', external_id = NULL, updated_ms = $4 WHERE tenant_id = $1 AND id = $2`, tenantID, memberID, pseudonym, ms(now))
	if err != nil {
		return 0, err
	}
	rows, _ := res.RowsAffected()
	if res, err = t.exec(ctx, `UPDATE consents SET signer_name = $3, signer_title = '' WHERE tenant_id = $1 AND member_id = $2`,
		tenantID, memberID, pseudonym); err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	names, others, err := t.pastValues(ctx, tenantID, memberID)
	if err != nil {
		return 0, err
	}
	contacts, err := t.contactValues(ctx, tenantID, memberID)
	if err != nil {
		return 0, err
	}
	f, err := t.forget(ctx, tenantID, memberID)
	if err != nil {
		return 0, err
	}
	others = append(append(others, contacts...), deref(email), phone, handle, birthday, deref(ext))
	m, err := t.scrubTexts(ctx, tenantID, newScrubber(append(names, name), pseudonym, others...))
	return rows + n + f + m, err
}

// personalKeys are the member's fields whose earlier values, kept in the
// audit log of changes to the member, are personal too.
var personalKeys = map[string]bool{"email": true, "phone": true, "birthday": true, "external_id": true, "handle": true}

// pastValues collects the names and other personal values the member had,
// from the audit entries of changes to them.
func (t *Tx) pastValues(ctx context.Context, tenantID, memberID string) (names, others []string, err error) {
	recs, err := t.records(ctx, `SELECT before_json, after_json FROM audit_log WHERE tenant_id = $1 AND entity_type = 'member' AND entity_id = $2`,
		tenantID, memberID)
	if err != nil {
		return nil, nil, err
	}
	var walk func(v any)
	walk = func(v any) {
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, val := range m {
			if sv, ok := val.(string); ok && k == "name" {
				names = append(names, sv)
			} else if ok && personalKeys[k] {
				others = append(others, sv)
			} else {
				walk(val)
			}
		}
	}
	for _, r := range recs {
		for _, c := range []string{"before_json", "after_json"} {
			var v any
			if json.Unmarshal([]byte(str(r[c])), &v) == nil {
				walk(v)
			}
		}
	}
	return names, others, nil
}

// scrubTexts rewrites the audit entries, stored responses, outbox rows
// (message payloads, delivery errors), webhook attempts' errors and cards'
// wallet states holding any of the person's values.
func (t *Tx) scrubTexts(ctx context.Context, tenantID string, s scrubber) (int64, error) {
	if len(s.needles) == 0 {
		return 0, nil
	}
	var total int64
	for _, tb := range []struct {
		table, key string
		cols       []string
	}{
		{"audit_log", "id", []string{"before_json", "after_json"}},
		{"idempotency_keys", "idem_key", []string{"response"}},
		{"outbox", "id", []string{"payload", "last_error"}},
		{"webhook_attempts", "id", []string{"error"}},
		{"cards", "id", []string{"shown", "shown_before"}},
	} {
		n, err := t.scrubTable(ctx, tenantID, tb.table, tb.key, tb.cols, s)
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// scrubTable rewrites the rows of one table whose text columns hold a
// value (LIKE finds the candidates; the replacer decides).
func (t *Tx) scrubTable(ctx context.Context, tenantID, table, key string, cols []string, s scrubber) (int64, error) {
	args := []any{tenantID}
	var where, sets []string
	for _, nd := range s.needles {
		args = append(args, "%"+nd+"%")
		for _, c := range cols {
			where = append(where, fmt.Sprintf("%s LIKE $%d", c, len(args)))
		}
	}
	for i, c := range cols {
		sets = append(sets, fmt.Sprintf("%s = $%d", c, i+3))
	}
	recs, err := t.records(ctx, `SELECT `+key+`, `+strings.Join(cols, ", ")+` FROM `+table+
		` WHERE tenant_id = $1 AND (`+strings.Join(where, " OR ")+`)`, args...)
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		vals := []any{tenantID, r[key]}
		for _, c := range cols {
			vals = append(vals, s.scrub(str(r[c])))
		}
		if _, err := t.exec(ctx, `UPDATE `+table+` SET `+strings.Join(sets, ", ")+` WHERE tenant_id = $1 AND `+key+` = $2`, vals...); err != nil {
			return 0, err
		}
	}
	return int64(len(recs)), nil
}

// scrubber replaces a person's values in JSON text: each as a whole JSON
// string, and the distinctive ones (six characters or more) inside longer
// strings too (a reason that names them).
type scrubber struct {
	repl    *strings.Replacer
	needles []string
}

func newScrubber(names []string, pseudonym string, others ...string) scrubber {
	type swap struct{ v, with string }
	var swaps []swap
	for _, n := range names {
		swaps = append(swaps, swap{n, pseudonym})
	}
	for _, o := range others {
		swaps = append(swaps, swap{o, ""})
	}
	// Longest first: "Kate Rowe Jr" before "Kate Rowe", which would leave " Jr".
	slices.SortFunc(swaps, func(a, b swap) int { return len(b.v) - len(a.v) })
	var pairs, needles []string
	for _, sw := range swaps {
		if strings.TrimSpace(sw.v) == "" {
			continue
		}
		q, _ := json.Marshal(sw.v)
		w, _ := json.Marshal(sw.with)
		inner := string(q[1 : len(q)-1])
		pairs = append(pairs, string(q), string(w))
		if len(sw.v) >= 6 {
			pairs = append(pairs, inner, string(w[1:len(w)-1]))
		}
		needles = append(needles, inner)
	}
	return scrubber{repl: strings.NewReplacer(pairs...), needles: needles}
}

func (s scrubber) scrub(text string) string { return s.repl.Replace(text) }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
