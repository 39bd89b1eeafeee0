package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const couponCols = `tenant_id, id, program_id, organization_id, owner_type, owner_id, grant_type, template_id, name, benefit, status,
	reason, source_event, issued_ms, expires_ms, used_event, used_ms, discount, restored, created_ms, updated_ms`

var couponColList = splitCols(couponCols)

func scanCoupon(row rowScanner) (coupon.Coupon, error) {
	var c coupon.Coupon
	var benefit, usedEvent sql.NullString
	var expires, used sql.NullInt64
	var issued, cr, up int64
	err := row.Scan(&c.TenantID, &c.ID, &c.ProgramID, &c.OrganizationID, &c.OwnerType, &c.OwnerID, &c.Grant, &c.TemplateID, &c.Name,
		&benefit, &c.Status, &c.Reason, &c.SourceEvent, &issued, &expires, &usedEvent, &used, &c.Discount, &c.Restored, &cr, &up)
	c.IssuedAt, c.ExpiresAt, c.UsedEvent, c.UsedAt = clock.FromMillis(issued), fromOptMs(expires), usedEvent.String, fromOptMs(used)
	c.CreatedAt, c.UpdatedAt = clock.FromMillis(cr), clock.FromMillis(up)
	if err == nil && benefit.Valid {
		err = json.Unmarshal([]byte(benefit.String), &c.Benefit)
	}
	return c, err
}

// InsertCoupons stores issued coupons.
func (t *Tx) InsertCoupons(ctx context.Context, cs []coupon.Coupon) error {
	return t.heldRows(ctx, nil, "coupons", couponColList, "", len(cs), func(i int) []any {
		c := cs[i]
		var benefit any
		if c.Benefit != nil {
			benefit = jsonText(c.Benefit)
		}
		return []any{c.TenantID, c.ID, c.ProgramID, c.OrganizationID, c.OwnerType, c.OwnerID, c.Grant, c.TemplateID, c.Name, benefit,
			c.Status, c.Reason, c.SourceEvent, ms(c.IssuedAt), optMs(c.ExpiresAt), nullable(c.UsedEvent), optMs(c.UsedAt), c.Discount,
			c.Restored, ms(c.CreatedAt), ms(c.UpdatedAt)}
	})
}

// HasCoupons reports whether a tenant ever issued a coupon.
func (t *Tx) HasCoupons(ctx context.Context, tenantID string) (bool, error) {
	return exists(ctx, t, `SELECT 1 FROM coupons WHERE tenant_id = $1 LIMIT 1`, tenantID)
}

// GetCoupon reads one coupon.
func (t *Tx) GetCoupon(ctx context.Context, tenantID, id string) (coupon.Coupon, error) {
	c, err := scanCoupon(t.queryRow(ctx, `SELECT `+couponCols+` FROM coupons WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, notFound(err, "coupon", id)
}

// ListCoupons reads a page of coupons, newest issue first.
func (t *Tx) ListCoupons(ctx context.Context, tenantID string, f coupon.Filter, r page.Request) ([]coupon.Coupon, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("organization_id = ?", f.OrganizationID)
	w.eq("owner_type", f.OwnerType)
	w.eq("owner_id", f.OwnerID)
	w.eq("status", f.Status)
	if r.After != "" {
		at, id, err := events.ParseCursor(r.After)
		if err != nil {
			return nil, err
		}
		w.add("(issued_ms < ? OR (issued_ms = ? AND id < ?))", at, at, id)
	}
	q := `SELECT ` + couponCols + ` FROM coupons` + w.sql() + ` ORDER BY issued_ms DESC, id DESC LIMIT ` + w.next(r.Limit+1)
	return list(ctx, t, q, scanCoupon, w.args...)
}

// UseCoupon marks an available coupon used, conditionally: of concurrent
// orders naming it, exactly one changes the row.
func (t *Tx) UseCoupon(ctx context.Context, tenantID, id string, u coupon.Use) (bool, error) {
	return affected(t.exec(ctx, `UPDATE coupons SET status = 'used', used_event = $3, used_ms = $4, discount = $5, updated_ms = $4
		WHERE tenant_id = $1 AND id = $2 AND status = 'available'`, tenantID, id, nullable(u.EventID), ms(u.At), u.Discount))
}

// CouponsUsedBy reads the coupons an event used.
func (t *Tx) CouponsUsedBy(ctx context.Context, tenantID, eventID string) ([]coupon.Coupon, error) {
	return list(ctx, t, `SELECT `+couponCols+` FROM coupons WHERE tenant_id = $1 AND used_event = $2 ORDER BY id`, scanCoupon, tenantID, eventID)
}

// RestoreCoupon gives a coupon used by an event back: available again, or
// expired when its validity ended by at.
func (t *Tx) RestoreCoupon(ctx context.Context, tenantID, id, eventID string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE coupons SET status = CASE WHEN expires_ms IS NOT NULL AND expires_ms <= $4 THEN 'expired' ELSE 'available' END,
		used_event = NULL, used_ms = NULL, discount = 0, restored = restored + 1, updated_ms = $4
		WHERE tenant_id = $1 AND id = $2 AND status = 'used' AND used_event = $3`, tenantID, id, eventID, ms(at)))
}

// ExpireCoupons marks the available coupons ended by at expired.
func (t *Tx) ExpireCoupons(ctx context.Context, tenantID string, at time.Time) (int64, error) {
	res, err := t.exec(ctx, `UPDATE coupons SET status = 'expired', updated_ms = $2
		WHERE tenant_id = $1 AND status = 'available' AND expires_ms <= $2`, tenantID, ms(at))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
