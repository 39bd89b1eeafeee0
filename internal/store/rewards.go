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

const rewardCols = `tenant_id, id, kind, subkind, name, description, point_type_id, price, tier_prices, role_prices, stock,
	available_from_ms, available_until_ms, member_limit, org_limit, audience, money_value, needs_management, status, created_ms, updated_ms`

// jsonNull encodes a value for a TEXT column, nil as "null".
func jsonNull(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

func bit(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func scanReward(row rowScanner) (reward.Item, error) {
	var it reward.Item
	var tiers, roles, ml, ol, aud string
	var stock, from, until sql.NullInt64
	var mgmt, c, u int64
	err := row.Scan(&it.TenantID, &it.ID, &it.Kind, &it.Subkind, &it.Name, &it.Description, &it.PointTypeID, &it.Price, &tiers, &roles, &stock,
		&from, &until, &ml, &ol, &aud, &it.MoneyValue, &mgmt, &it.Status, &c, &u)
	if err != nil {
		return it, err
	}
	if stock.Valid {
		it.Stock = &stock.Int64
	}
	it.AvailableFrom, it.AvailableUntil = fromOptMs(from), fromOptMs(until)
	it.NeedsManagement, it.CreatedAt, it.UpdatedAt = mgmt != 0, clock.FromMillis(c), clock.FromMillis(u)
	return it, errors.Join(json.Unmarshal([]byte(tiers), &it.TierPrices), json.Unmarshal([]byte(roles), &it.RolePrices),
		json.Unmarshal([]byte(ml), &it.MemberLimit), json.Unmarshal([]byte(ol), &it.OrgLimit), json.Unmarshal([]byte(aud), &it.Audience))
}

func optInt64(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// InsertRewardItem stores a new catalog item.
func (t *Tx) InsertRewardItem(ctx context.Context, it reward.Item) error {
	_, err := t.exec(ctx, `INSERT INTO reward_items (`+rewardCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
		$15, $16, $17, $18, $19, $20, $21)`,
		it.TenantID, it.ID, it.Kind, it.Subkind, it.Name, it.Description, it.PointTypeID, it.Price, jsonNull(it.TierPrices), jsonNull(it.RolePrices),
		optInt64(it.Stock), optMs(it.AvailableFrom), optMs(it.AvailableUntil), jsonNull(it.MemberLimit), jsonNull(it.OrgLimit), jsonNull(it.Audience),
		it.MoneyValue, bit(it.NeedsManagement), it.Status, ms(it.CreatedAt), ms(it.UpdatedAt))
	return err
}

// UpdateRewardItem writes an item's price, stock, window and status.
func (t *Tx) UpdateRewardItem(ctx context.Context, it reward.Item) error {
	_, err := t.exec(ctx, `UPDATE reward_items SET price = $3, stock = $4, available_from_ms = $5, available_until_ms = $6, status = $7,
		updated_ms = $8 WHERE tenant_id = $1 AND id = $2`,
		it.TenantID, it.ID, it.Price, optInt64(it.Stock), optMs(it.AvailableFrom), optMs(it.AvailableUntil), it.Status, ms(it.UpdatedAt))
	return err
}

// GetRewardItem reads one catalog item.
func (t *Tx) GetRewardItem(ctx context.Context, tenantID, id string) (reward.Item, error) {
	it, err := scanReward(t.queryRow(ctx, `SELECT `+rewardCols+` FROM reward_items WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return it, notFound(err, "reward", id)
}

// ListRewardItems reads a page of catalog items.
func (t *Tx) ListRewardItems(ctx context.Context, tenantID string, f reward.ItemFilter, r page.Request) ([]reward.Item, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("id > ?", r.After)
	w.eq("status", f.Status)
	w.eq("kind", f.Kind)
	return list(ctx, t, `SELECT `+rewardCols+` FROM reward_items`+w.sql()+` ORDER BY id LIMIT `+w.next(r.Limit+1), scanReward, w.args...)
}

// TakeRewardStock lowers a limited stock by qty if enough is left. The
// condition in the UPDATE makes concurrent redemptions of the last unit
// take it once: on PostgreSQL the second waits for the first's row lock
// and re-checks the condition; SQLite has one writer.
func (t *Tx) TakeRewardStock(ctx context.Context, tenantID, itemID string, qty int64) (bool, error) {
	res, err := t.exec(ctx, `UPDATE reward_items SET stock = stock - $3 WHERE tenant_id = $1 AND id = $2 AND stock IS NOT NULL AND stock >= $3`,
		tenantID, itemID, qty)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	var stock sql.NullInt64 // not taken: unlimited, or too few
	err = t.queryRow(ctx, `SELECT stock FROM reward_items WHERE tenant_id = $1 AND id = $2`, tenantID, itemID).Scan(&stock)
	return err == nil && !stock.Valid, notFound(err, "reward", itemID)
}

// ReturnRewardStock gives units back to a limited stock.
func (t *Tx) ReturnRewardStock(ctx context.Context, tenantID, itemID string, qty int64) error {
	_, err := t.exec(ctx, `UPDATE reward_items SET stock = stock + $3 WHERE tenant_id = $1 AND id = $2 AND stock IS NOT NULL`, tenantID, itemID, qty)
	return err
}

// AddRewardUsage adds qty to a per-period counter unless the sum would
// exceed limit: one conditional upsert, safe against concurrent requests.
func (t *Tx) AddRewardUsage(ctx context.Context, tenantID, itemID string, u reward.Usage, qty, limit int64) (bool, error) {
	if qty > limit {
		return false, nil
	}
	var n int64
	err := t.queryRow(ctx, `INSERT INTO reward_usage (tenant_id, item_id, owner_type, owner_id, period, quantity) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (tenant_id, item_id, owner_type, owner_id, period) DO UPDATE SET quantity = reward_usage.quantity + excluded.quantity
		WHERE reward_usage.quantity + excluded.quantity <= $7 RETURNING quantity`,
		tenantID, itemID, u.OwnerType, u.OwnerID, u.Period, qty, limit).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// SubRewardUsage takes qty back from a per-period counter.
func (t *Tx) SubRewardUsage(ctx context.Context, tenantID, itemID string, u reward.Usage, qty int64) error {
	_, err := t.exec(ctx, `UPDATE reward_usage SET quantity = quantity - $6 WHERE tenant_id = $1 AND item_id = $2 AND owner_type = $3
		AND owner_id = $4 AND period = $5`, tenantID, itemID, u.OwnerType, u.OwnerID, u.Period, qty)
	return err
}

// GetRewardSettings reads a tenant's redemption settings (defaults when
// never set).
func (t *Tx) GetRewardSettings(ctx context.Context, tenantID string) (reward.Settings, error) {
	var s reward.Settings
	var th sql.NullInt64
	var mgmt, u int64
	err := t.queryRow(ctx, `SELECT approval_threshold, employee_needs_management, updated_ms FROM reward_settings WHERE tenant_id = $1`, tenantID).
		Scan(&th, &mgmt, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if th.Valid {
		s.ApprovalThreshold = &th.Int64
	}
	s.EmployeeNeedsManagement, s.UpdatedAt = mgmt != 0, clock.FromMillis(u)
	return s, err
}

// PutRewardSettings writes a tenant's redemption settings.
func (t *Tx) PutRewardSettings(ctx context.Context, tenantID string, s reward.Settings) error {
	_, err := t.exec(ctx, `INSERT INTO reward_settings (tenant_id, approval_threshold, employee_needs_management, updated_ms) VALUES ($1, $2, $3, $4)
		ON CONFLICT (tenant_id) DO UPDATE SET approval_threshold = excluded.approval_threshold,
		employee_needs_management = excluded.employee_needs_management, updated_ms = excluded.updated_ms`,
		tenantID, optInt64(s.ApprovalThreshold), bit(s.EmployeeNeedsManagement), ms(s.UpdatedAt))
	return err
}
