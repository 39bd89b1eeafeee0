package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/reward"
)

const redemptionCols = `tenant_id, id, item_id, organization_id, member_id, quantity, unit_price, points, price_basis, point_type_id,
	money_value, status, ledger_tx_id, return_tx_id, voucher_code, usage, steps, created_ms, updated_ms`

func scanRedemption(row rowScanner) (reward.Redemption, error) {
	var r reward.Redemption
	var member sql.NullString
	var usage, steps string
	var c, u int64
	err := row.Scan(&r.TenantID, &r.ID, &r.ItemID, &r.OrganizationID, &member, &r.Quantity, &r.UnitPrice, &r.Points, &r.PriceBasis, &r.PointTypeID,
		&r.MoneyValue, &r.Status, &r.LedgerTxID, &r.ReturnTxID, &r.VoucherCode, &usage, &steps, &c, &u)
	if err != nil {
		return r, err
	}
	r.MemberID, r.CreatedAt, r.UpdatedAt = member.String, clock.FromMillis(c), clock.FromMillis(u)
	return r, errors.Join(json.Unmarshal([]byte(usage), &r.Usage), json.Unmarshal([]byte(steps), &r.Steps))
}

// InsertRedemption stores a new redemption.
func (t *Tx) InsertRedemption(ctx context.Context, r reward.Redemption) error {
	_, err := t.exec(ctx, `INSERT INTO redemptions (`+redemptionCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
		$14, $15, $16, $17, $18, $19)`,
		r.TenantID, r.ID, r.ItemID, r.OrganizationID, nullable(r.MemberID), r.Quantity, r.UnitPrice, r.Points, r.PriceBasis, r.PointTypeID,
		r.MoneyValue, r.Status, r.LedgerTxID, r.ReturnTxID, r.VoucherCode, jsonText(r.Usage), jsonText(r.Steps), ms(r.CreatedAt), ms(r.UpdatedAt))
	return err
}

// GetRedemption reads one redemption.
func (t *Tx) GetRedemption(ctx context.Context, tenantID, id string) (reward.Redemption, error) {
	r, err := scanRedemption(t.queryRow(ctx, `SELECT `+redemptionCols+` FROM redemptions WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return r, notFound(err, "redemption", id)
}

// ListRedemptions reads a page of redemptions in id (creation) order.
func (t *Tx) ListRedemptions(ctx context.Context, tenantID string, f reward.RedemptionFilter, r page.Request) ([]reward.Redemption, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("id > ?", r.After)
	w.eq("organization_id", f.OrganizationID)
	w.eq("member_id", f.MemberID)
	w.eq("status", f.Status)
	if f.ManagedBy != "" {
		w.add("organization_id IN (SELECT id FROM organizations WHERE tenant_id = ? AND account_manager_id = ?)", tenantID, f.ManagedBy)
	}
	return list(ctx, t, `SELECT `+redemptionCols+` FROM redemptions`+w.sql()+` ORDER BY id LIMIT `+w.next(r.Limit+1), scanRedemption, w.args...)
}

// MoveRedemption writes a redemption's new status and steps if its stored
// status is still from: of concurrent moves exactly one matches (on
// PostgreSQL the others wait for its row lock, then see the new status).
func (t *Tx) MoveRedemption(ctx context.Context, r reward.Redemption, from string) (bool, error) {
	res, err := t.exec(ctx, `UPDATE redemptions SET status = $3, steps = $4, voucher_code = $5, return_tx_id = $6, updated_ms = $7
		WHERE tenant_id = $1 AND id = $2 AND status = $8`,
		r.TenantID, r.ID, r.Status, jsonText(r.Steps), r.VoucherCode, r.ReturnTxID, ms(r.UpdatedAt), from)
	return affected(res, err)
}
