package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const adjCols = `tenant_id, id, account_id, amount, reason, expires_ms, status, requested_by, requested_ms, decided_by, decided_ms, decision_note, tx_id`

func scanAdjustment(row rowScanner) (ledger.Adjustment, error) {
	var a ledger.Adjustment
	var exp, req, dec int64
	err := row.Scan(&a.TenantID, &a.ID, &a.AccountID, &a.Amount, &a.Reason, &exp, &a.Status, &a.RequestedBy, &req,
		&a.DecidedBy, &dec, &a.DecisionNote, &a.TxID)
	if exp != 0 {
		t := clock.FromMillis(exp)
		a.ExpiresAt = &t
	}
	a.RequestedAt = clock.FromMillis(req)
	if dec != 0 {
		t := clock.FromMillis(dec)
		a.DecidedAt = &t
	}
	return a, err
}

func adjArgs(a ledger.Adjustment) []any {
	var exp, dec int64
	if a.ExpiresAt != nil {
		exp = ms(*a.ExpiresAt)
	}
	if a.DecidedAt != nil {
		dec = ms(*a.DecidedAt)
	}
	return []any{a.TenantID, a.ID, a.AccountID, a.Amount, a.Reason, exp, a.Status, a.RequestedBy, ms(a.RequestedAt),
		a.DecidedBy, dec, a.DecisionNote, a.TxID}
}

// InsertAdjustment stores an adjustment unless one with its id (derived
// from its idempotency key) exists; it reports whether it did.
func (t *Tx) InsertAdjustment(ctx context.Context, a ledger.Adjustment) (bool, error) {
	return affected(t.exec(ctx, `INSERT INTO ledger_adjustments (`+adjCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (tenant_id, id) DO NOTHING`, adjArgs(a)...))
}

// UpdateAdjustment writes an adjustment's decision.
func (t *Tx) UpdateAdjustment(ctx context.Context, a ledger.Adjustment) error {
	_, err := t.exec(ctx, `UPDATE ledger_adjustments SET account_id = $3, amount = $4, reason = $5, expires_ms = $6, status = $7,
		requested_by = $8, requested_ms = $9, decided_by = $10, decided_ms = $11, decision_note = $12, tx_id = $13
		WHERE tenant_id = $1 AND id = $2`, adjArgs(a)...)
	return err
}

// GetAdjustment reads an adjustment.
func (t *Tx) GetAdjustment(ctx context.Context, tenantID, id string) (ledger.Adjustment, error) {
	a, err := scanAdjustment(t.queryRow(ctx, `SELECT `+adjCols+` FROM ledger_adjustments WHERE tenant_id = $1 AND id = $2`+t.forUpdate(), tenantID, id))
	return a, notFound(err, "adjustment", id)
}

// ListAdjustments reads adjustments, newest first.
func (t *Tx) ListAdjustments(ctx context.Context, tenantID, status string, r page.Request) ([]ledger.Adjustment, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.eq("status", status)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+adjCols+` FROM ledger_adjustments`+w.sql()+` ORDER BY id DESC LIMIT `+limit, scanAdjustment, w.args...)
}
