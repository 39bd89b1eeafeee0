package store

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/privacy"
)

// MemberID resolves a member id or ext:<external id> in a tenant.
func (t *Tx) MemberID(ctx context.Context, tenantID, ref string) (string, error) {
	q := `SELECT id FROM members WHERE tenant_id = $1 AND id = $2`
	if ext, ok := strings.CutPrefix(ref, "ext:"); ok {
		q, ref = `SELECT id FROM members WHERE tenant_id = $1 AND external_id = $2`, ext
	}
	var id string
	err := t.queryRow(ctx, q, tenantID, ref).Scan(&id)
	return id, notFound(err, "member", ref)
}

// memberAccounts selects the member's wallets ($1 tenant, $2 member).
const memberAccounts = `SELECT id FROM ledger_accounts WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`

// personTables are the rows about a member ($1 tenant, $2 member), by the
// export's section. Claim documents' bytes are left out (their name and
// hash are in the claims), and so are secrets' hashes (sign-in codes',
// sessions'); everything else is whole.
var personTables = []struct{ section, query string }{
	{"profile", `SELECT * FROM members WHERE tenant_id = $1 AND id = $2`},
	{"affiliations", `SELECT * FROM member_affiliations WHERE tenant_id = $1 AND member_id = $2 ORDER BY from_ms`},
	{"consents", `SELECT * FROM consents WHERE tenant_id = $1 AND member_id = $2`},
	{"events", `SELECT * FROM events WHERE tenant_id = $1 AND member_id = $2 ORDER BY occurred_ms`},
	{"wallets", `SELECT * FROM ledger_accounts WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`},
	{"statement", `SELECT * FROM ledger_postings WHERE tenant_id = $1 AND account_id IN (` + memberAccounts + `) ORDER BY tx_id, seq`},
	{"lots", `SELECT * FROM ledger_lots WHERE tenant_id = $1 AND account_id IN (` + memberAccounts + `) ORDER BY earned_ms`},
	{"redemptions", `SELECT * FROM redemptions WHERE tenant_id = $1 AND member_id = $2`},
	{"claims", `SELECT * FROM claims WHERE tenant_id = $1 AND member_id = $2`},
	{"goals", `SELECT * FROM goals WHERE tenant_id = $1 AND member_id = $2`},
	{"coupons", `SELECT * FROM coupons WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`},
	{"referral_codes", `SELECT * FROM referral_codes WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`},
	{"partner_optins", `SELECT * FROM partner_optins WHERE tenant_id = $1 AND member_id = $2`},
	{"partner_issues", `SELECT * FROM partner_issues WHERE tenant_id = $1 AND member_id = $2`},
	{"partner_redemptions", `SELECT * FROM partner_redemptions WHERE tenant_id = $1 AND member_id = $2`},
	{"messages", `SELECT * FROM inbox_messages WHERE tenant_id = $1 AND person_id = $2 ORDER BY created_ms, id`},
	{"message_sends", `SELECT * FROM message_sends WHERE tenant_id = $1 AND person_id = $2 ORDER BY at_ms, id`},
	{"message_optouts", `SELECT * FROM message_optouts WHERE tenant_id = $1 AND person_id = $2`},
	{"survey_answers", `SELECT * FROM survey_answers WHERE tenant_id = $1 AND person_id = $2 ORDER BY created_ms`},
	{"outbox", `SELECT id, kind, payload, created_ms, sent_ms, dead_ms, last_error FROM outbox WHERE ` + personOutbox + ` ORDER BY created_ms, id`},
	{"cards", `SELECT * FROM cards WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`},
	{"wallet_registrations", `SELECT device_id, card_id, push_token, created_ms FROM wallet_registrations WHERE tenant_id = $1 AND card_id IN (` + memberCards + `)`},
	{"registrations", `SELECT * FROM signups WHERE tenant_id = $1 AND member_id = $2 ORDER BY created_ms`},
	{"sign_in_codes", `SELECT id, channel, address, created_ms, expires_ms, used_ms FROM member_codes WHERE tenant_id = $1 AND member_id = $2 ORDER BY created_ms`},
	{"sessions", `SELECT created_ms, seen_ms, expires_ms, user_agent, address FROM sessions WHERE tenant_id = $1 AND subject_kind = 'member' AND subject_id = $2 ORDER BY created_ms`},
	{"audit_log", `SELECT * FROM audit_log WHERE tenant_id = $1 AND entity_type = 'member' AND entity_id = $2 ORDER BY id`},
}

// PersonData reads every row about a member, section by section.
func (t *Tx) PersonData(ctx context.Context, tenantID, memberID string) (map[string][]privacy.Record, error) {
	out := map[string][]privacy.Record{}
	for _, pt := range personTables {
		recs, err := t.records(ctx, pt.query, tenantID, memberID)
		if err != nil {
			return nil, err
		}
		out[pt.section] = recs
	}
	return out, nil
}

// records reads rows as column → value, text as text.
func (t *Tx) records(ctx context.Context, query string, args ...any) ([]privacy.Record, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := []privacy.Record{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := privacy.Record{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			rec[c] = vals[i]
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// InactiveMembers lists members not yet erased whose row has not changed
// and who have had no event since before.
func (t *Tx) InactiveMembers(ctx context.Context, tenantID string, before time.Time, limit int) ([]string, error) {
	return list(ctx, t, `SELECT m.id FROM members m WHERE m.tenant_id = $1 AND m.updated_ms < $2 AND m.name NOT LIKE 'erased-%'
		AND NOT EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = m.tenant_id AND e.member_id = m.id AND e.occurred_ms >= $2)
		ORDER BY m.id LIMIT $3`, scanString, tenantID, ms(before), limit)
}
