package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
)

// contact is what a person leaves outside their profile: another e-mail
// they signed in with, their browser, address, device and push token.
var contact = []string{"kate.alt@riverside.example", "KateBrowser/9.1", "203.0.113.77", "device-kate-0001", "push-token-kate-0001"}

// seedPersonRows stores a row about member id in each table of messaging,
// the portal and cards, holding their personal values (name, e-mail,
// phone, birthday) and contact values. The rows are written directly: the
// flows that write them are tested in their own packages; here what counts
// is that erasure finds them.
func seedPersonRows(e *env, f programFixture, id string, personal []string) {
	e.t.Helper()
	name, email, phone, birthday := personal[0], personal[1], personal[2], personal[3]
	at := epoch.UnixMilli()
	payload, _ := json.Marshal(map[string]any{"template": "welcome", "person_id": id, "vars": map[string]string{"name": name, "email": email}, "source": "trigger:t"})
	card := "card-" + id
	for _, st := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO inbox_messages (tenant_id, id, person_id, subject, body, created_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
			[]any{e.tidA, "in-1", id, "Hello " + name, "Dear " + name + ", we will call " + phone, at}},
		{`INSERT INTO survey_answers (tenant_id, survey_id, person_id, answers, via, created_ms) VALUES ($1, 'sv-1', $2, $3, 'portal', $4)`,
			[]any{e.tidA, id, `[{"question_id":"q1","text":"Call ` + name + ` at ` + phone + `"}]`, at}},
		{`INSERT INTO message_sends (tenant_id, id, person_id, channel, template, at_ms) VALUES ($1, $2, $3, 'email', 'welcome', $4)`, []any{e.tidA, "send-1", id, at}},
		{`INSERT INTO message_optouts (tenant_id, person_id, channel, source, at_ms) VALUES ($1, $2, 'sms', 'link', $3)`, []any{e.tidA, id, at}},
		{`INSERT INTO unsubscribe_links (hash, tenant_id, person_id, channel, created_ms) VALUES ($1, $2, $3, 'email', $4)`, []any{"unsub-" + id, e.tidA, id, at}},
		{`INSERT INTO outbox (tenant_id, id, kind, payload, created_ms, last_error) VALUES ($1, $2, 'message.person', $3, $4, $5)`,
			[]any{e.tidA, "out-1", string(payload), at, "mailbox " + contact[0] + " full"}},
		{`INSERT INTO member_codes (tenant_id, id, member_id, channel, address, code_hash, link_hash, created_ms, expires_ms) VALUES ($1, $2, $3, 'email', $4, 'h1', 'l1', $5, $5)`,
			[]any{e.tidA, "code-1", id, contact[0], at}},
		{`INSERT INTO signups (tenant_id, id, program_id, member_id, consents, answers, address, created_ms) VALUES ($1, $2, $3, $4, '["terms"]', $5, $6, $7)`,
			[]any{e.tidA, "su-1", f.program["id"], id, `{"phone":"` + phone + `","email":"` + email + `","birthday":"` + birthday + `","shoe":"44 wide"}`, contact[2], at}},
		{`INSERT INTO signup_keys (tenant_id, contact, member_id) VALUES ($1, $2, $3)`, []any{e.tidA, phone, id}},
		{`INSERT INTO sessions (tenant_id, id_hash, subject_kind, subject_id, created_ms, seen_ms, expires_ms, user_agent, address) VALUES ($1, 'sess-1', 'member', $2, $3, $3, $3, $4, $5)`,
			[]any{e.tidA, id, at, contact[1], contact[2]}},
		{`INSERT INTO cards (tenant_id, id, program_id, owner_type, owner_id, organization_id, number, serial, status, shown, shown_ms, created_ms, updated_ms) VALUES ($1, $2, $3, 'member', $4, $5, '4000111', 'ser-1', 'active', $6, $7, $7, $7)`,
			[]any{e.tidA, card, f.program["id"], id, f.org["id"], `{"holder":"` + name + `"}`, at}},
		{`INSERT INTO wallet_registrations (tenant_id, device_id, card_id, push_token, created_ms) VALUES ($1, $2, $3, $4, $5)`, []any{e.tidA, contact[3], card, contact[4], at}},
	} {
		if err := e.app.DB.Exec(context.Background(), st.q, st.args...); err != nil {
			e.t.Fatalf("%s: %v", st.q, err)
		}
	}
}

// personTables are every table holding rows about a person.
var personTables = []string{"members", "consents", "audit_log", "idempotency_keys", "inbox_messages", "survey_answers", "message_sends", "message_optouts",
	"unsubscribe_links", "outbox", "webhook_attempts", "member_codes", "signups", "signup_keys", "sessions", "cards", "wallet_registrations"}

// survivors lists the values still stored anywhere in those tables, every
// text column searched.
func survivors(e *env, values []string) []string {
	e.t.Helper()
	var left []string
	for _, tb := range personTables {
		rows, err := e.app.DB.Rows(context.Background(), `SELECT * FROM `+tb)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, r := range rows {
			for col, v := range r {
				s, _ := v.(string)
				for _, val := range values {
					if strings.Contains(s, val) {
						left = append(left, tb+"."+col+": "+val)
					}
				}
			}
		}
	}
	return left
}
