package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

var _ memberauth.Tx = (*Tx)(nil)

const memberCodeCols = `tenant_id, id, member_id, channel, address, code_hash, link_hash, tries, created_ms, expires_ms, used_ms`

// InsertMemberCode stores a sign-in code.
func (t *Tx) InsertMemberCode(ctx context.Context, c memberauth.Code) error {
	_, err := t.exec(ctx, `INSERT INTO member_codes (`+memberCodeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)`,
		c.TenantID, c.ID, c.MemberID, c.Channel, c.Address, c.CodeHash, c.LinkHash, c.Tries, ms(c.CreatedAt), ms(c.ExpiresAt))
	return err
}

func scanMemberCode(r rowScanner) (memberauth.Code, error) {
	var c memberauth.Code
	var created, expires int64
	var used sql.NullInt64
	err := r.Scan(&c.TenantID, &c.ID, &c.MemberID, &c.Channel, &c.Address, &c.CodeHash, &c.LinkHash, &c.Tries, &created, &expires, &used)
	c.CreatedAt, c.ExpiresAt = clock.FromMillis(created), clock.FromMillis(expires)
	if used.Valid {
		at := clock.FromMillis(used.Int64)
		c.UsedAt = &at
	}
	return c, err
}

// LatestMemberCode returns the newest unused, unexpired code sent to an address.
func (t *Tx) LatestMemberCode(ctx context.Context, tenantID, address string, now time.Time) (memberauth.Code, error) {
	c, err := scanMemberCode(t.queryRow(ctx, `SELECT `+memberCodeCols+` FROM member_codes
		WHERE tenant_id = $1 AND address = $2 AND used_ms IS NULL AND expires_ms > $3 ORDER BY created_ms DESC, id DESC LIMIT 1`,
		tenantID, address, ms(now)))
	return c, notFound(err, "sign-in code", "")
}

// MemberCodeByLink reads a code by its link's hash.
func (t *Tx) MemberCodeByLink(ctx context.Context, tenantID, linkHash string) (memberauth.Code, error) {
	c, err := scanMemberCode(t.queryRow(ctx, `SELECT `+memberCodeCols+` FROM member_codes WHERE tenant_id = $1 AND link_hash = $2`, tenantID, linkHash))
	return c, notFound(err, "sign-in link", "")
}

// CountCodeTry counts a wrong try in one conditional statement.
func (t *Tx) CountCodeTry(ctx context.Context, tenantID, id string, max int) (bool, error) {
	return t.changed(ctx, `UPDATE member_codes SET tries = tries + 1 WHERE tenant_id = $1 AND id = $2 AND tries < $3`, tenantID, id, max)
}

// UseMemberCode spends a code once: of concurrent uses one changes the row.
func (t *Tx) UseMemberCode(ctx context.Context, tenantID, id string, at time.Time, maxTries int) (bool, error) {
	return t.changed(ctx, `UPDATE member_codes SET used_ms = $3 WHERE tenant_id = $1 AND id = $2 AND used_ms IS NULL AND tries < $4`,
		tenantID, id, ms(at), maxTries)
}

// changed runs a conditional update and reports whether it changed a row.
func (t *Tx) changed(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := t.exec(ctx, query, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// MembersByContact lists active members by e-mail or phone, oldest first.
func (t *Tx) MembersByContact(ctx context.Context, tenantID, channel, address string) ([]party.Member, error) {
	where := `phone = $2`
	if channel == memberauth.ByEmail {
		where = `email = $2`
	}
	return list(ctx, t, `SELECT `+memberCols+` FROM members WHERE tenant_id = $1 AND `+where+` AND status = 'active'
		ORDER BY created_ms, id LIMIT 20`, scanMember, tenantID, address)
}

// DeleteMemberCodes deletes codes that expired before a time.
func (t *Tx) DeleteMemberCodes(ctx context.Context, tenantID string, before time.Time) (int, error) {
	res, err := t.exec(ctx, `DELETE FROM member_codes WHERE tenant_id = $1 AND expires_ms < $2`, tenantID, ms(before))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
