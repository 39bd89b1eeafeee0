package store

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/promo"
)

// InsertCodeIssue stores a personal campaign's issue settings.
func (t *Tx) InsertCodeIssue(ctx context.Context, tenantID, campaignID string, i promo.Issue) error {
	_, err := t.exec(ctx, `INSERT INTO promo_issuers (tenant_id, campaign_id, issue_on, pattern, valid_months, valid_days)
		VALUES ($1, $2, $3, $4, $5, $6)`, tenantID, campaignID, i.On, i.Pattern, i.ValidMonths, i.ValidDays)
	return err
}

// CodeIssues reads the issue settings of a tenant's personal campaigns.
func (t *Tx) CodeIssues(ctx context.Context, tenantID string) (map[string]promo.Issue, error) {
	type row struct {
		id string
		i  promo.Issue
	}
	rows, err := list(ctx, t, `SELECT campaign_id, issue_on, pattern, valid_months, valid_days FROM promo_issuers WHERE tenant_id = $1`,
		func(r rowScanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.i.On, &x.i.Pattern, &x.i.ValidMonths, &x.i.ValidDays)
		}, tenantID)
	out := make(map[string]promo.Issue, len(rows))
	for _, x := range rows {
		out[x.id] = x.i
	}
	return out, err
}

const personalCols = `code, campaign_id, organization_id, expires_ms, issued_event, issue_key, created_ms`

func scanPersonal(r rowScanner) (promo.PersonalCode, error) {
	var c promo.PersonalCode
	var ev *string
	var exp, cr int64
	err := r.Scan(&c.Code, &c.CampaignID, &c.OrganizationID, &exp, &ev, &c.Key, &cr)
	c.ExpiresAt, c.CreatedAt = clock.FromMillis(exp), clock.FromMillis(cr)
	if ev != nil {
		c.IssuedEvent = *ev
	}
	return c, err
}

// InsertPersonalCode records a personal code unless its key or code is
// taken.
func (t *Tx) InsertPersonalCode(ctx context.Context, tenantID string, c promo.PersonalCode) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO personal_codes (tenant_id, `+personalCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT DO NOTHING`, tenantID, c.Code, c.CampaignID, c.OrganizationID, ms(c.ExpiresAt), nullable(c.IssuedEvent), c.Key, ms(c.CreatedAt)))
}

// DeletePersonalCode removes a personal code's record.
func (t *Tx) DeletePersonalCode(ctx context.Context, tenantID, code string) error {
	_, err := t.exec(ctx, `DELETE FROM personal_codes WHERE tenant_id = $1 AND code = $2`, tenantID, code)
	return err
}

// PersonalCodeByKey reads the code issued under a key.
func (t *Tx) PersonalCodeByKey(ctx context.Context, tenantID, campaignID, key string) (promo.PersonalCode, error) {
	c, err := scanPersonal(t.queryRow(ctx, `SELECT `+personalCols+` FROM personal_codes WHERE tenant_id = $1 AND campaign_id = $2 AND issue_key = $3`,
		tenantID, campaignID, key))
	return c, notFound(err, "personal code", key)
}

// GetPersonalCode reads a personal code's owner and end.
func (t *Tx) GetPersonalCode(ctx context.Context, tenantID, code string) (promo.PersonalCode, error) {
	c, err := scanPersonal(t.queryRow(ctx, `SELECT `+personalCols+` FROM personal_codes WHERE tenant_id = $1 AND code = $2`, tenantID, code))
	return c, notFound(err, "personal code", code)
}

// PersonalCodes reads the owners of codes.
func (t *Tx) PersonalCodes(ctx context.Context, tenantID string, codes []string) (map[string]promo.PersonalCode, error) {
	out := map[string]promo.PersonalCode{}
	for _, part := range chunks(codes, paramsPerStatement-1) {
		rows, err := t.queryN(ctx, len(part), `SELECT `+personalCols+` FROM personal_codes WHERE tenant_id = $1 AND code IN (`+inList(len(part), 2)+`)`,
			append([]any{tenantID}, anys(part)...)...)
		if err != nil {
			return nil, err
		}
		got, err := scanAll(rows, scanPersonal)
		if err != nil {
			return nil, err
		}
		for _, c := range got {
			out[c.Code] = c
		}
	}
	return out, nil
}

// Participants lists the organizations enrolled in a program.
func (t *Tx) Participants(ctx context.Context, tenantID, programID string) ([]string, error) {
	type row struct {
		id, state string
	}
	rows, err := list(ctx, t, `SELECT owner_id, state FROM program_states WHERE tenant_id = $1 AND program_id = $2 AND owner_type = 'organization'
		ORDER BY owner_id`, func(r rowScanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.state)
	}, tenantID, programID)
	var out []string
	for _, x := range rows {
		var st engine.State
		if err := json.Unmarshal([]byte(x.state), &st); err != nil {
			return nil, err
		}
		if st.EnrolledAt != nil {
			out = append(out, x.id)
		}
	}
	return out, err
}
