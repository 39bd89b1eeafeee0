package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const memberCols = `tenant_id, id, organization_id, name, roles, email, phone, messenger_app, messenger_handle, preferred_channel,
	locale, birthday, external_id, status, created_ms, updated_ms`

func scanMember(row rowScanner) (party.Member, error) {
	var m party.Member
	var email, ext sql.NullString
	var roles string
	var c, u int64
	err := row.Scan(&m.TenantID, &m.ID, &m.OrganizationID, &m.Name, &roles, &email, &m.Phone, &m.Messenger.App, &m.Messenger.Handle,
		&m.PreferredChannel, &m.Locale, &m.Birthday, &ext, &m.Status, &c, &u)
	m.Email, m.ExternalID, m.Roles = email.String, ext.String, fromWords[party.Role](roles)
	m.CreatedAt, m.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	return m, err
}

func memberArgs(m party.Member) []any {
	return []any{m.TenantID, m.ID, m.OrganizationID, m.Name, words(m.Roles), nullable(m.Email), m.Phone, m.Messenger.App, m.Messenger.Handle,
		m.PreferredChannel, m.Locale, m.Birthday, nullable(m.ExternalID), m.Status, ms(m.CreatedAt), ms(m.UpdatedAt)}
}

// InsertMember stores a new member.
func (t *Tx) InsertMember(ctx context.Context, m party.Member) error {
	_, err := t.exec(ctx, `INSERT INTO members (`+memberCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, memberArgs(m)...)
	return t.memberErr(err, m)
}

// UpdateMember writes every field of a changed member.
func (t *Tx) UpdateMember(ctx context.Context, m party.Member) error {
	_, err := t.exec(ctx, `UPDATE members SET organization_id = $3, name = $4, roles = $5, email = $6, phone = $7, messenger_app = $8,
		messenger_handle = $9, preferred_channel = $10, locale = $11, birthday = $12, external_id = $13, status = $14,
		created_ms = $15, updated_ms = $16 WHERE tenant_id = $1 AND id = $2`, memberArgs(m)...)
	return t.memberErr(err, m)
}

// memberErr names the duplicate value of a unique violation. Members have
// two unique columns; both engines name the violated index (members_email)
// or column (members.email) in the message.
func (t *Tx) memberErr(err error, m party.Member) error {
	if !t.d.isUnique(err) {
		return err
	}
	if !strings.Contains(err.Error(), "email") {
		return duplicate("external_id", "external id "+m.ExternalID+" is already used by another member")
	}
	return duplicate("email", "e-mail "+m.Email+" is already used by another member")
}

// DeleteMember removes a member and its affiliation history.
func (t *Tx) DeleteMember(ctx context.Context, tenantID, id string) error {
	if _, err := t.exec(ctx, `DELETE FROM member_affiliations WHERE tenant_id = $1 AND member_id = $2`, tenantID, id); err != nil {
		return err
	}
	_, err := t.exec(ctx, `DELETE FROM members WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return err
}

// GetMember reads one member.
func (t *Tx) GetMember(ctx context.Context, tenantID, id string) (party.Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return m, notFound(err, "member", id)
}

// MemberByExternalID finds a member by external id.
func (t *Tx) MemberByExternalID(ctx context.Context, tenantID, externalID string) (party.Member, error) {
	m, err := scanMember(t.queryRow(ctx, `SELECT `+memberCols+` FROM members WHERE tenant_id = $1 AND external_id = $2`, tenantID, externalID))
	return m, notFound(err, "member with external id", externalID)
}

// ListMembers reads a page of members matching f.
func (t *Tx) ListMembers(ctx context.Context, tenantID string, f party.MemberFilter, r page.Request) ([]party.Member, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("id > ?", r.After)
	w.eq("organization_id", f.OrganizationID)
	w.eq("status", f.Status)
	if f.ManagedBy != "" {
		w.add("organization_id IN (SELECT id FROM organizations WHERE tenant_id = ? AND account_manager_id = ?)", tenantID, f.ManagedBy)
	}
	if f.Role != "" {
		w.add("roles LIKE ?", "%,"+string(f.Role)+",%")
	}
	if f.Query != "" {
		q := likeArg(f.Query)
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\' OR lower(external_id) LIKE ? ESCAPE '\')`, q, q, q)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+memberCols+` FROM members`+w.sql()+` ORDER BY id LIMIT `+limit, scanMember, w.args...)
}

// MemberConsentCount counts consent records a member signed.
func (t *Tx) MemberConsentCount(ctx context.Context, tenantID, id string) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM consents WHERE tenant_id = $1 AND member_id = $2`, tenantID, id).Scan(&n)
	return n, err
}

const affCols = `tenant_id, id, member_id, organization_id, roles, from_ms, to_ms`

func scanAffiliation(row rowScanner) (party.Affiliation, error) {
	var a party.Affiliation
	var roles string
	var from int64
	var to sql.NullInt64
	err := row.Scan(&a.TenantID, &a.ID, &a.MemberID, &a.OrganizationID, &roles, &from, &to)
	a.Roles, a.From, a.To = fromWords[party.Role](roles), clock.FromMillis(from), fromOptMs(to)
	return a, err
}

// InsertAffiliation opens an affiliation period.
func (t *Tx) InsertAffiliation(ctx context.Context, a party.Affiliation) error {
	_, err := t.exec(ctx, `INSERT INTO member_affiliations (`+affCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		a.TenantID, a.ID, a.MemberID, a.OrganizationID, words(a.Roles), ms(a.From), optMs(a.To))
	return err
}

// CloseAffiliation ends a member's current affiliation period at at.
func (t *Tx) CloseAffiliation(ctx context.Context, tenantID, memberID string, at time.Time) error {
	_, err := t.exec(ctx, `UPDATE member_affiliations SET to_ms = $3 WHERE tenant_id = $1 AND member_id = $2 AND to_ms IS NULL`,
		tenantID, memberID, ms(at))
	return err
}

// ListAffiliations reads a member's affiliation history, oldest first.
func (t *Tx) ListAffiliations(ctx context.Context, tenantID, memberID string) ([]party.Affiliation, error) {
	return list(ctx, t, `SELECT `+affCols+` FROM member_affiliations WHERE tenant_id = $1 AND member_id = $2 ORDER BY from_ms, id`,
		scanAffiliation, tenantID, memberID)
}
