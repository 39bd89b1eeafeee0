package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// PurchaseHistory sums an organization's sales facts (every purchase and
// return stored, see analytics) before before per month. The covering
// index of sales_facts serves it.
func (t *Tx) PurchaseHistory(ctx context.Context, tenantID, orgID string, before time.Time) (engine.History, error) {
	var h engine.History
	to := int64(1) << 62
	if !before.IsZero() {
		to = ms(before)
	}
	rows, err := t.query(ctx, `SELECT occurred_ms, type, amount, qty FROM sales_facts
		WHERE tenant_id = $1 AND organization_id = $2 AND occurred_ms < $3 ORDER BY occurred_ms`, tenantID, orgID, to)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var at, amount, qty int64
		var typ string
		if err := rows.Scan(&at, &typ, &amount, &qty); err != nil {
			return h, err
		}
		sign := int64(1)
		if typ == analytics.FactReturn {
			sign = -1
		}
		h.Add(clock.FromMillis(at), amount, qty, sign)
	}
	return h, rows.Err()
}
