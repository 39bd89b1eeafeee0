package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const partnerCols = `tenant_id, id, name, program_id, point_type_id, issue_price, redeem_price, currency, status, created_ms, updated_ms`

func scanPartner(row rowScanner) (partner.Partner, error) {
	var p partner.Partner
	var c, u int64
	err := row.Scan(&p.TenantID, &p.ID, &p.Name, &p.ProgramID, &p.PointTypeID, &p.IssuePrice, &p.RedeemPrice, &p.Currency, &p.Status, &c, &u)
	p.CreatedAt, p.UpdatedAt = clock.FromMillis(c), clock.FromMillis(u)
	return p, err
}

// InsertPartner stores a new partner.
func (t *Tx) InsertPartner(ctx context.Context, p partner.Partner) error {
	_, err := t.exec(ctx, `INSERT INTO partners (`+partnerCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.TenantID, p.ID, p.Name, p.ProgramID, p.PointTypeID, p.IssuePrice, p.RedeemPrice, p.Currency, p.Status, ms(p.CreatedAt), ms(p.UpdatedAt))
	return err
}

// GetPartner reads one partner.
func (t *Tx) GetPartner(ctx context.Context, tenantID, id string) (partner.Partner, error) {
	p, err := scanPartner(t.queryRow(ctx, `SELECT `+partnerCols+` FROM partners WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return p, notFound(err, "partner", id)
}

// ListPartners reads a page of partners.
func (t *Tx) ListPartners(ctx context.Context, tenantID string, r page.Request) ([]partner.Partner, error) {
	return list(ctx, t, `SELECT `+partnerCols+` FROM partners WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
		scanPartner, tenantID, r.After, r.Limit+1)
}

// GetOptIn reads a member's opt-in to a partner.
func (t *Tx) GetOptIn(ctx context.Context, tenantID, partnerID, memberID string) (partner.OptIn, error) {
	var o partner.OptIn
	var in int64
	var revoked sql.NullInt64
	err := t.queryRow(ctx, `SELECT tenant_id, partner_id, member_id, status, opted_in_ms, revoked_ms FROM partner_optins
		WHERE tenant_id = $1 AND partner_id = $2 AND member_id = $3`, tenantID, partnerID, memberID).Scan(
		&o.TenantID, &o.PartnerID, &o.MemberID, &o.Status, &in, &revoked)
	o.OptedInAt, o.RevokedAt = clock.FromMillis(in), fromOptMs(revoked)
	return o, notFound(err, "opt-in", memberID)
}

// PutOptIn writes a member's opt-in to a partner if its stored status is
// still from ("" for none); it reports whether it did. On PostgreSQL a
// concurrent change waits for the row and then finds the status changed.
func (t *Tx) PutOptIn(ctx context.Context, o partner.OptIn, from string) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO partner_optins (tenant_id, partner_id, member_id, status, opted_in_ms, revoked_ms)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, partner_id, member_id) DO UPDATE SET status = $4, opted_in_ms = $5, revoked_ms = $6
		WHERE partner_optins.status = $7`,
		o.TenantID, o.PartnerID, o.MemberID, o.Status, ms(o.OptedInAt), optMs(o.RevokedAt), from))
}

// InsertIssue records the points a partner's event issued.
func (t *Tx) InsertIssue(ctx context.Context, i partner.Issue) error {
	_, err := t.exec(ctx, `INSERT INTO partner_issues (tenant_id, partner_id, event_id, member_id, points, occurred_ms)
		VALUES ($1, $2, $3, $4, $5, $6)`, i.TenantID, i.PartnerID, i.EventID, i.MemberID, i.Points, i.OccurredMs)
	return err
}

const partnerRedemptionCols = `tenant_id, partner_id, reference, id, member_id, points, ledger_tx_id, created_by, redeemed_ms`

// GetPartnerRedemption reads a partner's redemption by its reference.
func (t *Tx) GetPartnerRedemption(ctx context.Context, tenantID, partnerID, reference string) (partner.Redemption, error) {
	var r partner.Redemption
	var at int64
	err := t.queryRow(ctx, `SELECT `+partnerRedemptionCols+` FROM partner_redemptions WHERE tenant_id = $1 AND partner_id = $2 AND reference = $3`,
		tenantID, partnerID, reference).Scan(&r.TenantID, &r.PartnerID, &r.Reference, &r.ID, &r.MemberID, &r.Points, &r.LedgerTxID, &r.CreatedBy, &at)
	r.RedeemedAt = clock.FromMillis(at)
	return r, notFound(err, "redemption", reference)
}

// InsertPartnerRedemption stores a redemption. A reference used concurrently by
// another request is a conflict.
func (t *Tx) InsertPartnerRedemption(ctx context.Context, r partner.Redemption) error {
	_, err := t.exec(ctx, `INSERT INTO partner_redemptions (`+partnerRedemptionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		r.TenantID, r.PartnerID, r.Reference, r.ID, r.MemberID, r.Points, r.LedgerTxID, r.CreatedBy, ms(r.RedeemedAt))
	if t.d.isUnique(err) {
		return errs.E(errs.Conflict, "reference_reused", "reference %q was just used by another redemption", r.Reference)
	}
	return err
}

// Settlement sums, per month, the points a partner issued and that were
// redeemed at it (in halves: splitSum). The months are a derived table of
// parameters, which both engines read alike.
func (t *Tx) Settlement(ctx context.Context, tenantID string, p partner.Partner, months []partner.Month) ([]partner.MonthLine, error) {
	args := []any{tenantID, p.ID}
	rows := make([]string, len(months))
	for i, m := range months {
		n := len(args)
		rows[i] = fmt.Sprintf(`SELECT CAST($%d AS BIGINT) AS k, CAST($%d AS BIGINT) AS f, CAST($%d AS BIGINT) AS t`, n+1, n+2, n+3)
		args = append(args, i, m.FromMs, m.ToMs)
	}
	issues := func(sum string) string {
		return `(SELECT ` + sum + ` FROM partner_issues i
			WHERE i.tenant_id = $1 AND i.partner_id = $2 AND i.occurred_ms >= m.f AND i.occurred_ms < m.t)`
	}
	redemptions := func(sum string) string {
		return `(SELECT ` + sum + ` FROM partner_redemptions r
			WHERE r.tenant_id = $1 AND r.partner_id = $2 AND r.redeemed_ms >= m.f AND r.redeemed_ms < m.t)`
	}
	q := `SELECT ` + issues(sumHi("i.points")) + `, ` + issues(sumLo("i.points")) + `, ` +
		redemptions(sumHi("r.points")) + `, ` + redemptions(sumLo("r.points")) + `
		FROM (` + strings.Join(rows, " UNION ALL ") + `) m ORDER BY m.k`
	return list(ctx, t, q, func(row rowScanner) (partner.MonthLine, error) {
		var l partner.MonthLine
		return l, scanSums(row, nil, &l.Issued, &l.Redeemed)
	}, args...)
}
