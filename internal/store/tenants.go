package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

const tenantCols = `id, slug, name, status, created_ms, updated_ms, version_approval, adjust_limit, rate_limit`

func scanTenant(row rowScanner) (tenant.Tenant, error) {
	var t tenant.Tenant
	var c, u, va int64
	err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.Status, &c, &u, &va, &t.AdjustLimit, &t.RateLimit)
	t.CreatedAt, t.UpdatedAt, t.VersionApproval = clock.FromMillis(c), clock.FromMillis(u), va != 0
	return t, err
}

// InsertTenant stores a new tenant.
func (t *Tx) InsertTenant(ctx context.Context, tn tenant.Tenant) error {
	_, err := t.exec(ctx, `INSERT INTO tenants (`+tenantCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		tn.ID, tn.Slug, tn.Name, tn.Status, ms(tn.CreatedAt), ms(tn.UpdatedAt), flag(tn.VersionApproval), tn.AdjustLimit, tn.RateLimit)
	if t.d.isUnique(err) {
		return errs.InvalidField("slug", "duplicate", "a tenant with slug %q already exists", tn.Slug)
	}
	return err
}

// TenantBySlug finds a tenant by slug.
func (t *Tx) TenantBySlug(ctx context.Context, slug string) (tenant.Tenant, error) {
	tn, err := scanTenant(t.queryRow(ctx, `SELECT `+tenantCols+` FROM tenants WHERE slug = $1`, slug))
	return tn, notFound(err, "tenant", slug)
}

// TenantByID finds a tenant by id.
func (t *Tx) TenantByID(ctx context.Context, id string) (tenant.Tenant, error) {
	tn, err := scanTenant(t.queryRow(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id = $1`, id))
	return tn, notFound(err, "tenant", id)
}

// SetTenantRateLimit writes a tenant's own request rate.
func (t *Tx) SetTenantRateLimit(ctx context.Context, id string, rate int64, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE tenants SET rate_limit = $2, updated_ms = $3 WHERE id = $1`, id, rate, ms(at))
	return err
}

// ListTenants reads every tenant.
func (t *Tx) ListTenants(ctx context.Context) ([]tenant.Tenant, error) {
	return list(ctx, t, `SELECT `+tenantCols+` FROM tenants ORDER BY slug`, scanTenant)
}

const staffCols = `tenant_id, id, email, name, role, status, created_ms, updated_ms, password_hash, password_ms, created_by, empowered_by, empowered_ms`

func scanStaff(row rowScanner) (tenant.Staff, error) {
	var s tenant.Staff
	var c, u, pw int64
	var emp sql.NullInt64
	err := row.Scan(&s.TenantID, &s.ID, &s.Email, &s.Name, &s.Role, &s.Status, &c, &u, &s.PasswordHash, &pw, &s.CreatedBy, &s.EmpoweredBy, &emp)
	s.CreatedAt, s.UpdatedAt, s.EmpoweredAt = clock.FromMillis(c), clock.FromMillis(u), fromOptMs(emp)
	if pw > 0 {
		s.PasswordSetAt = clock.FromMillis(pw)
	}
	return s, err
}

// InsertStaff stores a new staff user.
func (t *Tx) InsertStaff(ctx context.Context, s tenant.Staff) error {
	_, err := t.exec(ctx, `INSERT INTO staff_users (`+staffCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		s.TenantID, s.ID, s.Email, s.Name, s.Role, s.Status, ms(s.CreatedAt), ms(s.UpdatedAt), s.PasswordHash, optMillis(s.PasswordSetAt),
		s.CreatedBy, s.EmpoweredBy, optMs(s.EmpoweredAt))
	if t.d.isUnique(err) {
		return &errs.Error{Kind: errs.Conflict, Code: "duplicate", Message: "a staff user with this e-mail already exists",
			Fields: []errs.FieldError{{Field: "email", Code: "duplicate", Message: "e-mail " + s.Email + " is already used by another staff user"}}}
	}
	return err
}

// UpdateStaff writes a changed staff user.
func (t *Tx) UpdateStaff(ctx context.Context, s tenant.Staff) error {
	_, err := t.exec(ctx, `UPDATE staff_users SET name = $3, role = $4, status = $5, updated_ms = $6, empowered_by = $7, empowered_ms = $8
		WHERE tenant_id = $1 AND id = $2`,
		s.TenantID, s.ID, s.Name, s.Role, s.Status, ms(s.UpdatedAt), s.EmpoweredBy, optMs(s.EmpoweredAt))
	return err
}

// GetStaff reads one staff user.
func (t *Tx) GetStaff(ctx context.Context, tenantID, id string) (tenant.Staff, error) {
	s, err := scanStaff(t.queryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return s, notFound(err, "staff user", id)
}

// StaffByEmail finds a staff user by e-mail.
func (t *Tx) StaffByEmail(ctx context.Context, tenantID, email string) (tenant.Staff, error) {
	s, err := scanStaff(t.queryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE tenant_id = $1 AND email = $2`, tenantID, email))
	return s, notFound(err, "staff user", email)
}

// StaffExists reports whether a staff user exists.
func (t *Tx) StaffExists(ctx context.Context, tenantID, id string) (bool, error) {
	_, err := t.GetStaff(ctx, tenantID, id)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// ListStaff reads a page of staff users.
func (t *Tx) ListStaff(ctx context.Context, tenantID string, r page.Request) ([]tenant.Staff, error) {
	return list(ctx, t, `SELECT `+staffCols+` FROM staff_users WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanStaff, tenantID, r.After, r.Limit+1)
}

const keyCols = `tenant_id, id, name, scope, staff_id, secret_hash, created_by, created_ms, revoked_ms, last_used_ms, partner_id`

func scanKey(row rowScanner) (tenant.APIKey, error) {
	var k tenant.APIKey
	var staff, partner sql.NullString
	var c int64
	var revoked, used sql.NullInt64
	err := row.Scan(&k.TenantID, &k.ID, &k.Name, &k.Scope, &staff, &k.SecretHash, &k.CreatedBy, &c, &revoked, &used, &partner)
	k.StaffID, k.PartnerID, k.CreatedAt = staff.String, partner.String, clock.FromMillis(c)
	k.RevokedAt, k.LastUsedAt = fromOptMs(revoked), fromOptMs(used)
	return k, err
}

// InsertAPIKey stores a new key (its hash, never its secret).
func (t *Tx) InsertAPIKey(ctx context.Context, k tenant.APIKey) error {
	_, err := t.exec(ctx, `INSERT INTO api_keys (`+keyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		k.TenantID, k.ID, k.Name, k.Scope, nullable(k.StaffID), k.SecretHash, k.CreatedBy, ms(k.CreatedAt), optMs(k.RevokedAt), optMs(k.LastUsedAt), nullable(k.PartnerID))
	return err
}

// GetAPIKey reads one key.
func (t *Tx) GetAPIKey(ctx context.Context, tenantID, id string) (tenant.APIKey, error) {
	k, err := scanKey(t.queryRow(ctx, `SELECT `+keyCols+` FROM api_keys WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return k, notFound(err, "API key", id)
}

// KeyForAuth reads a key with its tenant and staff user in one query, which
// every API request pays for.
func (t *Tx) KeyForAuth(ctx context.Context, slug, keyID string) (tenant.KeyAuth, error) {
	var ka tenant.KeyAuth
	var staff, partner, staffStatus, staffRole sql.NullString
	var c, tc, tu, va int64
	var revoked, used sql.NullInt64
	k := &ka.Key
	err := t.queryRow(ctx, `SELECT k.tenant_id, k.id, k.name, k.scope, k.staff_id, k.secret_hash, k.created_by, k.created_ms, k.revoked_ms, k.last_used_ms, k.partner_id,
			t.id, t.slug, t.name, t.status, t.created_ms, t.updated_ms, t.version_approval, t.adjust_limit, t.rate_limit, s.status, s.role
		FROM tenants t
		JOIN api_keys k ON k.tenant_id = t.id AND k.id = $2
		LEFT JOIN staff_users s ON s.tenant_id = k.tenant_id AND s.id = k.staff_id
		WHERE t.slug = $1`, slug, keyID).Scan(
		&k.TenantID, &k.ID, &k.Name, &k.Scope, &staff, &k.SecretHash, &k.CreatedBy, &c, &revoked, &used, &partner,
		&ka.Tenant.ID, &ka.Tenant.Slug, &ka.Tenant.Name, &ka.Tenant.Status, &tc, &tu, &va, &ka.Tenant.AdjustLimit, &ka.Tenant.RateLimit, &staffStatus, &staffRole)
	if errors.Is(err, sql.ErrNoRows) {
		return ka, errs.NotFoundf("API key", keyID)
	}
	k.StaffID, k.PartnerID, k.CreatedAt = staff.String, partner.String, clock.FromMillis(c)
	k.RevokedAt, k.LastUsedAt = fromOptMs(revoked), fromOptMs(used)
	ka.Tenant.CreatedAt, ka.Tenant.UpdatedAt, ka.Tenant.VersionApproval = clock.FromMillis(tc), clock.FromMillis(tu), va != 0
	ka.StaffStatus, ka.StaffRole = staffStatus.String, tenant.Role(staffRole.String)
	return ka, err
}

// ListAPIKeys reads a page of keys.
func (t *Tx) ListAPIKeys(ctx context.Context, tenantID string, r page.Request) ([]tenant.APIKey, error) {
	return list(ctx, t, `SELECT `+keyCols+` FROM api_keys WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanKey, tenantID, r.After, r.Limit+1)
}

// RevokeAPIKey marks a key revoked.
func (t *Tx) RevokeAPIKey(ctx context.Context, tenantID, id string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE api_keys SET revoked_ms = $3 WHERE tenant_id = $1 AND id = $2`, tenantID, id, ms(at))
	return err
}

// TouchAPIKey records when a key was last used.
func (t *Tx) TouchAPIKey(ctx context.Context, tenantID, id string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE api_keys SET last_used_ms = $3 WHERE tenant_id = $1 AND id = $2`, tenantID, id, ms(at))
	return err
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, t *Tx, query string, scan func(rowScanner) (T, error), args ...any) ([]T, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, scan)
}

// scanString scans a one-column row of text (for list and scanAll).
func scanString(r rowScanner) (string, error) {
	var s string
	return s, r.Scan(&s)
}
