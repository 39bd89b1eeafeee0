package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const claimCols = `tenant_id, id, program_id, organization_id, member_id, invoice_number, invoice_key, invoice_date, end_customer,
	currency, lines, amount, doc_sha256, doc_filename, doc_content_type, doc_size, status, reason, event_id, points, results,
	decided_by, decided_ms, created_ms, updated_ms`

func scanClaim(row rowScanner) (claim.Claim, error) {
	var c claim.Claim
	var lines, results string
	var decided sql.NullInt64
	var cr, up int64
	d := &c.Document
	err := row.Scan(&c.TenantID, &c.ID, &c.ProgramID, &c.OrganizationID, &c.MemberID, &c.InvoiceNumber, &c.InvoiceKey, &c.InvoiceDate,
		&c.EndCustomer, &c.Currency, &lines, &c.Amount, &d.SHA256, &d.Filename, &d.ContentType, &d.Size, &c.Status, &c.Reason,
		&c.EventID, &c.Points, &results, &c.DecidedBy, &decided, &cr, &up)
	if err != nil {
		return c, err
	}
	c.DecidedAt, c.CreatedAt, c.UpdatedAt = fromOptMs(decided), clock.FromMillis(cr), clock.FromMillis(up)
	return c, errors.Join(json.Unmarshal([]byte(lines), &c.Lines), json.Unmarshal([]byte(results), &c.Results))
}

func claimArgs(c claim.Claim) []any {
	d := c.Document
	return []any{c.TenantID, c.ID, c.ProgramID, c.OrganizationID, c.MemberID, c.InvoiceNumber, c.InvoiceKey, c.InvoiceDate,
		c.EndCustomer, c.Currency, jsonText(c.Lines), c.Amount, d.SHA256, d.Filename, d.ContentType, d.Size, c.Status, c.Reason,
		c.EventID, c.Points, jsonText(c.Results), c.DecidedBy, optMs(c.DecidedAt), ms(c.CreatedAt), ms(c.UpdatedAt)}
}

// InsertClaim stores a claim and its document (base64 in TEXT, the same
// on both engines). A concurrent claim of the same invoice or document
// collides on a unique index.
func (t *Tx) InsertClaim(ctx context.Context, c claim.Claim, data []byte) error {
	_, err := t.exec(ctx, `INSERT INTO claims (`+claimCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
		$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`, claimArgs(c)...)
	if t.d.isUnique(err) {
		return errs.E(errs.Conflict, "duplicate_claim", "a claim of the same invoice or with the same document was submitted at the same time")
	}
	if err != nil {
		return err
	}
	_, err = t.exec(ctx, `INSERT INTO claim_documents (tenant_id, claim_id, data) VALUES ($1, $2, $3)`,
		c.TenantID, c.ID, base64.StdEncoding.EncodeToString(data))
	return err
}

// GetClaim reads one claim.
func (t *Tx) GetClaim(ctx context.Context, tenantID, id string) (claim.Claim, error) {
	c, err := scanClaim(t.queryRow(ctx, `SELECT `+claimCols+` FROM claims WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, notFound(err, "claim", id)
}

// ActiveClaimByInvoice finds an organization's claim of an invoice that
// was not rejected.
func (t *Tx) ActiveClaimByInvoice(ctx context.Context, tenantID, orgID, invoiceKey string) (claim.Claim, error) {
	c, err := scanClaim(t.queryRow(ctx, `SELECT `+claimCols+` FROM claims WHERE tenant_id = $1 AND organization_id = $2
		AND invoice_key = $3 AND status <> 'rejected'`, tenantID, orgID, invoiceKey))
	return c, notFound(err, "claim of invoice", invoiceKey)
}

// ActiveClaimByDocument finds a claim with a document that was not
// rejected.
func (t *Tx) ActiveClaimByDocument(ctx context.Context, tenantID, sha string) (claim.Claim, error) {
	c, err := scanClaim(t.queryRow(ctx, `SELECT `+claimCols+` FROM claims WHERE tenant_id = $1 AND doc_sha256 = $2
		AND status <> 'rejected'`, tenantID, sha))
	return c, notFound(err, "claim with document", sha)
}

// ListClaims reads a page of claims in id (submission) order.
func (t *Tx) ListClaims(ctx context.Context, tenantID string, f claim.Filter, r page.Request) ([]claim.Claim, error) {
	return list(ctx, t, `SELECT `+claimCols+` FROM claims WHERE tenant_id = $1 AND id > $2
		AND ($3 = '' OR organization_id = $3) AND ($4 = '' OR status = $4)
		AND ($6 = '' OR organization_id IN (SELECT id FROM organizations WHERE tenant_id = $1 AND account_manager_id = $6))
		ORDER BY id LIMIT $5`,
		scanClaim, tenantID, r.After, f.OrganizationID, f.Status, r.Limit+1, f.ManagedBy)
}

// UpdateClaimFrom writes a claim's decision fields if its stored status is
// from, or — with a non-zero staleBefore — if it is approving and was last
// updated before staleBefore.
func (t *Tx) UpdateClaimFrom(ctx context.Context, c claim.Claim, from string, staleBefore time.Time) (bool, error) {
	stale := int64(-1)
	if !staleBefore.IsZero() {
		stale = ms(staleBefore)
	}
	res, err := t.exec(ctx, `UPDATE claims SET status = $3, reason = $4, event_id = $5, points = $6, results = $7, decided_by = $8,
		decided_ms = $9, updated_ms = $10 WHERE tenant_id = $1 AND id = $2 AND (status = $11 OR (status = 'approving' AND updated_ms < $12))`,
		c.TenantID, c.ID, c.Status, c.Reason, c.EventID, c.Points, jsonText(c.Results), c.DecidedBy, optMs(c.DecidedAt), ms(c.UpdatedAt),
		from, stale)
	return affected(res, err)
}

// GetClaimDocument reads a claim's document bytes.
func (t *Tx) GetClaimDocument(ctx context.Context, tenantID, id string) ([]byte, error) {
	var data string
	err := t.queryRow(ctx, `SELECT data FROM claim_documents WHERE tenant_id = $1 AND claim_id = $2`, tenantID, id).Scan(&data)
	if err != nil {
		return nil, notFound(err, "claim document", id)
	}
	return base64.StdEncoding.DecodeString(data)
}

// GetClaimSettings reads a program's claim settings.
func (t *Tx) GetClaimSettings(ctx context.Context, tenantID, programID string) (claim.Settings, error) {
	s := claim.Settings{ProgramID: programID}
	var enabled, up int64
	err := t.queryRow(ctx, `SELECT window_days, enabled, updated_ms FROM claim_settings WHERE tenant_id = $1 AND program_id = $2`,
		tenantID, programID).Scan(&s.WindowDays, &enabled, &up)
	s.Enabled, s.UpdatedAt = enabled == 1, clock.FromMillis(up)
	return s, notFound(err, "claim settings of program", programID)
}

// PutClaimSettings writes a program's claim settings.
func (t *Tx) PutClaimSettings(ctx context.Context, tenantID string, s claim.Settings) error {
	enabled := 0
	if s.Enabled {
		enabled = 1
	}
	_, err := t.exec(ctx, `INSERT INTO claim_settings (tenant_id, program_id, window_days, enabled, updated_ms) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id, program_id) DO UPDATE SET window_days = $3, enabled = $4, updated_ms = $5`,
		tenantID, s.ProgramID, s.WindowDays, enabled, ms(s.UpdatedAt))
	return err
}
