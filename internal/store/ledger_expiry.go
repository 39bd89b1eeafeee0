package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// LatestLotExpiry reads the latest expiry of an account's live lots.
func (t *Tx) LatestLotExpiry(ctx context.Context, tenantID, accountID string) (*time.Time, error) {
	var v sql.NullInt64
	err := t.queryRow(ctx, `SELECT MAX(expires_ms) FROM ledger_lots WHERE tenant_id = $1 AND account_id = $2
		AND state IN ('pending', 'available') AND expires_ms < 253402300799999`, tenantID, accountID).Scan(&v)
	return fromOptMs(v), err
}

// ExtendLots pushes back the expiry of an account's live lots to until.
func (t *Tx) ExtendLots(ctx context.Context, tenantID, accountID string, until time.Time) error {
	_, err := t.exec(ctx, `UPDATE ledger_lots SET expires_ms = $3 WHERE tenant_id = $1 AND account_id = $2
		AND state IN ('pending', 'available') AND expires_ms < $3`, tenantID, accountID, ms(until))
	return err
}

// ExpiringWallets reads the wallets with available points expiring by
// before, in account order: the earliest expiry with its points, and all
// points expiring by before.
func (t *Tx) ExpiringWallets(ctx context.Context, tenantID, pointTypeID string, before time.Time, after string, limit int) ([]ledger.ExpiringWallet, error) {
	return list(ctx, t, `SELECT a.owner_type, a.owner_id, a.point_type_id, a.id, m.first_ms,
			SUM(CASE WHEN l.expires_ms = m.first_ms THEN l.remaining ELSE 0 END), SUM(l.remaining)
		FROM (SELECT account_id, MIN(expires_ms) AS first_ms FROM ledger_lots
			WHERE tenant_id = $1 AND state = 'available' AND remaining > 0 AND expires_ms <= $2 AND account_id > $4
			GROUP BY account_id) m
		JOIN ledger_lots l ON l.tenant_id = $1 AND l.account_id = m.account_id
		JOIN ledger_accounts a ON a.tenant_id = $1 AND a.id = m.account_id
		WHERE l.state = 'available' AND l.remaining > 0 AND l.expires_ms <= $2 AND ($3 = '' OR a.point_type_id = $3)
		GROUP BY a.owner_type, a.owner_id, a.point_type_id, a.id, m.first_ms
		ORDER BY a.id LIMIT $5`,
		func(r rowScanner) (ledger.ExpiringWallet, error) {
			var e ledger.ExpiringWallet
			var first int64
			err := r.Scan(&e.Owner.Type, &e.Owner.ID, &e.PointTypeID, &e.AccountID, &first, &e.NextPoints, &e.PointsSoon)
			e.NextExpiry = clock.FromMillis(first)
			return e, err
		}, tenantID, ms(before), pointTypeID, after, limit)
}
