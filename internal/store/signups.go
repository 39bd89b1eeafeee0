package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/signup"
)

var _ signup.Tx = (*Tx)(nil)

// GetSignupForm reads a program's registration form (JSON).
func (t *Tx) GetSignupForm(ctx context.Context, tenantID, programID string) ([]byte, time.Time, error) {
	var raw string
	var at int64
	err := t.queryRow(ctx, `SELECT config, updated_ms FROM signup_forms WHERE tenant_id = $1 AND program_id = $2`, tenantID, programID).Scan(&raw, &at)
	return []byte(raw), clock.FromMillis(at), notFound(err, "registration form", programID)
}

// PutSignupForm stores a program's registration form.
func (t *Tx) PutSignupForm(ctx context.Context, tenantID, programID string, config []byte, at time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO signup_forms (tenant_id, program_id, config, updated_ms) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tenant_id, program_id) DO UPDATE SET config = excluded.config, updated_ms = excluded.updated_ms`,
		tenantID, programID, string(config), ms(at))
	return err
}

// ClaimSignupKey inserts the contact's owner unless there is one (under
// PostgreSQL a concurrent insert waits for the first to commit) and
// returns the owner.
func (t *Tx) ClaimSignupKey(ctx context.Context, tenantID, contact, memberID string) (string, error) {
	if _, err := t.exec(ctx, `INSERT INTO signup_keys (tenant_id, contact, member_id) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, contact) DO NOTHING`,
		tenantID, contact, memberID); err != nil {
		return "", err
	}
	var owner string
	err := t.queryRow(ctx, `SELECT member_id FROM signup_keys WHERE tenant_id = $1 AND contact = $2`, tenantID, contact).Scan(&owner)
	return owner, err
}

// InsertSignup stores one registration.
func (t *Tx) InsertSignup(ctx context.Context, s signup.Record) error {
	consents, _ := json.Marshal(s.Consents)
	answers, _ := json.Marshal(s.Answers)
	_, err := t.exec(ctx, `INSERT INTO signups (tenant_id, id, program_id, member_id, consents, answers, address, created_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, s.TenantID, s.ID, s.ProgramID, s.MemberID, string(consents), string(answers), s.Address, ms(s.CreatedAt))
	return err
}

// OrganizationByTaxID finds an organization by its tax id.
func (t *Tx) OrganizationByTaxID(ctx context.Context, tenantID, taxID string) (party.Organization, error) {
	o, err := scanOrg(t.queryRow(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = $1 AND tax_id = $2 ORDER BY created_ms, id LIMIT 1`, tenantID, taxID))
	return o, notFound(err, "organization", taxID)
}

// TenantOfReferralCode finds the tenant a referral code belongs to.
func (t *Tx) TenantOfReferralCode(ctx context.Context, code string) (string, error) {
	var id string
	err := t.queryRow(ctx, `SELECT tenant_id FROM referral_codes WHERE code = $1 ORDER BY created_ms LIMIT 1`, code).Scan(&id)
	return id, notFound(err, "referral code", code)
}
