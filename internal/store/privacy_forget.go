package store

import "context"

// personOutbox selects the outbox rows addressed to a member ($1 tenant,
// $2 member): messages to the person (payloads are compact JSON, so the
// field reads exactly so) and triggers' messages to them as an owner.
const personOutbox = `tenant_id = $1 AND (payload LIKE '%"person_id":"' || CAST($2 AS TEXT) || '"%'
	OR (kind = 'message.owner' AND payload LIKE '%"owner_type":"member","owner_id":"' || CAST($2 AS TEXT) || '"%'))`

// memberCards selects the member's cards ($1 tenant, $2 member).
const memberCards = `SELECT id FROM cards WHERE tenant_id = $1 AND owner_type = 'member' AND owner_id = $2`

// forgotten are the rows an erasure deletes ($1 tenant, $2 member): the
// person's inbox, sign-in codes (they hold an address), unsubscribe
// links, sessions (user agent, address), contact keys of the registration
// form, wallets' device registrations (device id, push token) and survey
// answers (their words; the results then count them no more). Opt-outs
// and the log of sends hold no personal value and stay: an erased person
// is still not messaged against their wish, and caps still count.
var forgotten = []string{
	`DELETE FROM inbox_messages WHERE tenant_id = $1 AND person_id = $2`,
	`DELETE FROM survey_answers WHERE tenant_id = $1 AND person_id = $2`,
	`DELETE FROM member_codes WHERE tenant_id = $1 AND member_id = $2`,
	`DELETE FROM unsubscribe_links WHERE tenant_id = $1 AND person_id = $2`,
	`DELETE FROM sessions WHERE tenant_id = $1 AND subject_kind = 'member' AND subject_id = $2`,
	`DELETE FROM signup_keys WHERE tenant_id = $1 AND member_id = $2`,
	`DELETE FROM wallet_registrations WHERE tenant_id = $1 AND card_id IN (` + memberCards + `)`,
	`UPDATE signups SET answers = '{}', address = '' WHERE tenant_id = $1 AND member_id = $2`,
}

// contactValues are the addresses the person signed in or registered
// with (they may differ from the profile's), to scrub wherever copied.
func (t *Tx) contactValues(ctx context.Context, tenantID, memberID string) ([]string, error) {
	return list(ctx, t, `SELECT address FROM member_codes WHERE tenant_id = $1 AND member_id = $2
		UNION SELECT contact FROM signup_keys WHERE tenant_id = $1 AND member_id = $2`, scanString, tenantID, memberID)
}

// forget deletes (or empties) the rows listed in forgotten.
func (t *Tx) forget(ctx context.Context, tenantID, memberID string) (int64, error) {
	var total int64
	for _, q := range forgotten {
		n, err := t.exec(ctx, q, tenantID, memberID)
		if err != nil {
			return 0, err
		}
		k, _ := n.RowsAffected()
		total += k
	}
	return total, nil
}
