package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// optMillis stores an unset time as 0.
func optMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ms(t)
}

// SetStaffPassword stores a staff user's new password hash.
func (t *Tx) SetStaffPassword(ctx context.Context, tenantID, id, hash string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE staff_users SET password_hash = $3, password_ms = $4, updated_ms = $4 WHERE tenant_id = $1 AND id = $2`,
		tenantID, id, hash, ms(at))
	return err
}

// PutSettings stores a tenant's settings.
func (t *Tx) PutSettings(ctx context.Context, tenantID string, s tenant.Settings, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE tenants SET version_approval = $2, adjust_limit = $3, updated_ms = $4 WHERE id = $1`,
		tenantID, flag(s.VersionApproval), s.AdjustLimit, ms(at))
	return err
}

// InsertStaffToken stores a reset or invitation token's hash.
func (t *Tx) InsertStaffToken(ctx context.Context, k tenant.Token) error {
	_, err := t.exec(ctx, `INSERT INTO staff_tokens (tenant_id, token_hash, staff_id, purpose, created_by, created_ms, expires_ms, used_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`, k.TenantID, k.Hash, k.StaffID, k.Purpose, k.CreatedBy, ms(k.CreatedAt), ms(k.ExpiresAt))
	return err
}

// UseStaffToken marks an unused, unexpired token used, conditionally, so
// that of concurrent uses one wins, and returns it.
func (t *Tx) UseStaffToken(ctx context.Context, tenantID, hash string, now time.Time) (tenant.Token, error) {
	ok, err := affected(t.exec(ctx, `UPDATE staff_tokens SET used_ms = $3
		WHERE tenant_id = $1 AND token_hash = $2 AND used_ms IS NULL AND expires_ms > $3`, tenantID, hash, ms(now)))
	if err != nil {
		return tenant.Token{}, err
	}
	if !ok {
		return tenant.Token{}, errs.NotFoundf("token", "")
	}
	var k tenant.Token
	var c, e int64
	var used sql.NullInt64
	err = t.queryRow(ctx, `SELECT tenant_id, token_hash, staff_id, purpose, created_by, created_ms, expires_ms, used_ms
		FROM staff_tokens WHERE tenant_id = $1 AND token_hash = $2`, tenantID, hash).
		Scan(&k.TenantID, &k.Hash, &k.StaffID, &k.Purpose, &k.CreatedBy, &c, &e, &used)
	k.CreatedAt, k.ExpiresAt, k.UsedAt = clock.FromMillis(c), clock.FromMillis(e), fromOptMs(used)
	return k, err
}
