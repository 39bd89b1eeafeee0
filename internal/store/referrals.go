package store

import (
	"context"
	"database/sql"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/referral"
)

const referralCodeCols = `tenant_id, code, owner_type, owner_id, created_ms`

func scanReferralCode(row rowScanner) (referral.Code, error) {
	var c referral.Code
	var cr int64
	err := row.Scan(&c.TenantID, &c.Code, &c.OwnerType, &c.OwnerID, &cr)
	c.CreatedAt = clock.FromMillis(cr)
	return c, err
}

// InsertCodeIfAbsent stores a referral code unless its owner already has
// one or the code is taken (either unique key).
func (t *Tx) InsertCodeIfAbsent(ctx context.Context, c referral.Code) error {
	_, err := t.exec(ctx, `INSERT INTO referral_codes (`+referralCodeCols+`) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		c.TenantID, c.Code, c.OwnerType, c.OwnerID, ms(c.CreatedAt))
	return err
}

// CodeByOwner reads the code of an organization or a member.
func (t *Tx) CodeByOwner(ctx context.Context, tenantID, ownerType, ownerID string) (referral.Code, error) {
	c, err := scanReferralCode(t.queryRow(ctx, `SELECT `+referralCodeCols+` FROM referral_codes WHERE tenant_id = $1 AND owner_type = $2 AND owner_id = $3`,
		tenantID, ownerType, ownerID))
	return c, notFound(err, "referral code of", ownerID)
}

// GetReferralCode reads a referral code.
func (t *Tx) GetReferralCode(ctx context.Context, tenantID, code string) (referral.Code, error) {
	c, err := scanReferralCode(t.queryRow(ctx, `SELECT `+referralCodeCols+` FROM referral_codes WHERE tenant_id = $1 AND code = $2`, tenantID, code))
	return c, notFound(err, "referral code", code)
}

const referralCols = `tenant_id, id, code, referrer_type, referrer_id, referrer_org_id, referred_org_id, status, program_id, event_id,
	referrer_points, referred_points, qualified_ms, created_ms`

func scanReferral(row rowScanner) (referral.Referral, error) {
	var r referral.Referral
	var q sql.NullInt64
	var cr int64
	err := row.Scan(&r.TenantID, &r.ID, &r.Code, &r.ReferrerType, &r.ReferrerID, &r.ReferrerOrgID, &r.ReferredOrgID, &r.Status,
		&r.ProgramID, &r.EventID, &r.ReferrerPoints, &r.ReferredPoints, &q, &cr)
	r.QualifiedAt, r.CreatedAt = fromOptMs(q), clock.FromMillis(cr)
	return r, err
}

// InsertReferral stores a referral; an organization is referred once.
func (t *Tx) InsertReferral(ctx context.Context, r referral.Referral) error {
	_, err := t.exec(ctx, `INSERT INTO referrals (`+referralCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		r.TenantID, r.ID, r.Code, r.ReferrerType, r.ReferrerID, r.ReferrerOrgID, r.ReferredOrgID, r.Status, r.ProgramID, r.EventID,
		r.ReferrerPoints, r.ReferredPoints, optMs(r.QualifiedAt), ms(r.CreatedAt))
	if t.d.isUnique(err) {
		return errs.E(errs.Conflict, "already_referred", "the organization was already referred")
	}
	return err
}

// ReferralOf reads the referral of a referred organization.
func (t *Tx) ReferralOf(ctx context.Context, tenantID, referredOrgID string) (referral.Referral, error) {
	r, err := scanReferral(t.queryRow(ctx, `SELECT `+referralCols+` FROM referrals WHERE tenant_id = $1 AND referred_org_id = $2`,
		tenantID, referredOrgID))
	return r, notFound(err, "referral of organization", referredOrgID)
}

// ListReferralsBy reads a page of the referrals an organization made.
func (t *Tx) ListReferralsBy(ctx context.Context, tenantID, referrerOrgID string, r page.Request) ([]referral.Referral, error) {
	return list(ctx, t, `SELECT `+referralCols+` FROM referrals WHERE tenant_id = $1 AND referrer_org_id = $2 AND id > $3 ORDER BY id LIMIT $4`,
		scanReferral, tenantID, referrerOrgID, r.After, r.Limit+1)
}

// QualifyReferral writes the qualification of a referral still pending.
func (t *Tx) QualifyReferral(ctx context.Context, r referral.Referral) (bool, error) {
	res, err := t.exec(ctx, `UPDATE referrals SET status = $3, program_id = $4, event_id = $5, referrer_points = $6, referred_points = $7,
		qualified_ms = $8 WHERE tenant_id = $1 AND id = $2 AND status = 'pending'`,
		r.TenantID, r.ID, r.Status, r.ProgramID, r.EventID, r.ReferrerPoints, r.ReferredPoints, optMs(r.QualifiedAt))
	return affected(res, err)
}

// HasPurchases reports whether an organization has invoice or order
// events.
func (t *Tx) HasPurchases(ctx context.Context, tenantID, orgID string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE tenant_id = $1 AND organization_id = $2
		AND type IN ('invoice', 'order') LIMIT 1) x`, tenantID, orgID).Scan(&n)
	return n > 0, err
}

const refSetCols = `program_id, referrer_points, referred_points, min_first_purchase, updated_ms`

func scanRefSettings(row rowScanner) (referral.Rewards, error) {
	var s referral.Rewards
	var up int64
	err := row.Scan(&s.ProgramID, &s.ReferrerPoints, &s.ReferredPoints, &s.MinFirstBuy, &up)
	s.UpdatedAt = clock.FromMillis(up)
	return s, err
}

// GetReferralSettings reads a program's referral settings.
func (t *Tx) GetReferralSettings(ctx context.Context, tenantID, programID string) (referral.Rewards, error) {
	s, err := scanRefSettings(t.queryRow(ctx, `SELECT `+refSetCols+` FROM referral_settings WHERE tenant_id = $1 AND program_id = $2`,
		tenantID, programID))
	return s, notFound(err, "referral settings of program", programID)
}

// ListReferralSettings reads every program's referral settings, in
// program id order.
func (t *Tx) ListReferralSettings(ctx context.Context, tenantID string) ([]referral.Rewards, error) {
	return list(ctx, t, `SELECT `+refSetCols+` FROM referral_settings WHERE tenant_id = $1 ORDER BY program_id`, scanRefSettings, tenantID)
}

// PutReferralSettings writes a program's referral settings.
func (t *Tx) PutReferralSettings(ctx context.Context, tenantID string, s referral.Rewards) error {
	_, err := t.exec(ctx, `INSERT INTO referral_settings (tenant_id, `+refSetCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, program_id) DO UPDATE SET referrer_points = $3, referred_points = $4, min_first_purchase = $5, updated_ms = $6`,
		tenantID, s.ProgramID, s.ReferrerPoints, s.ReferredPoints, s.MinFirstBuy, ms(s.UpdatedAt))
	return err
}

// HasReferrals reports whether a tenant has any referral.
func (t *Tx) HasReferrals(ctx context.Context, tenantID string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM referrals WHERE tenant_id = $1 LIMIT 1`, tenantID)
}
