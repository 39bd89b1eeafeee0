package store

import (
	"context"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

const lotCols = `tenant_id, id, account_id, tx_id, amount, remaining, state, earned_ms, available_ms, expires_ms`

var lotColList = strings.Split(lotCols, ", ")

func scanLot(row rowScanner) (ledger.Lot, error) {
	var l ledger.Lot
	var e, a, x int64
	err := row.Scan(&l.TenantID, &l.ID, &l.AccountID, &l.TxID, &l.Amount, &l.Remaining, &l.State, &e, &a, &x)
	l.EarnedAt, l.AvailableAt = clock.FromMillis(e), clock.FromMillis(a)
	if x != ledger.NeverMs {
		t := clock.FromMillis(x)
		l.ExpiresAt = &t
	}
	return l, err
}

func expiresMs(t *time.Time) int64 {
	if t == nil {
		return ledger.NeverMs
	}
	return ms(*t)
}

// InsertLots inserts new lots.
func (t *Tx) InsertLots(ctx context.Context, lots []ledger.Lot) error {
	return t.heldRows(ctx, nil, "ledger_lots", lotColList, "", len(lots), func(i int) []any {
		l := lots[i]
		return []any{l.TenantID, l.ID, l.AccountID, l.TxID, l.Amount, l.Remaining, l.State, ms(l.EarnedAt), ms(l.AvailableAt), expiresMs(l.ExpiresAt)}
	})
}

// UpdateLots writes the remaining and state of changed lots. Lots that end
// in the same state and remaining (all lots an expiry run empties) are
// written together, by id list: one indexed statement per 64 lots.
func (t *Tx) UpdateLots(ctx context.Context, lots []ledger.Lot) error {
	type change struct {
		remaining int64
		state     string
	}
	groups := map[change][]string{}
	var order []change
	for _, l := range lots {
		c := change{l.Remaining, l.State}
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], l.ID)
	}
	tenantID := lots[0].TenantID
	for _, c := range order {
		for _, part := range chunks(groups[c], rowsPerStatement) {
			q := `UPDATE ledger_lots SET remaining = $2, state = $3 WHERE tenant_id = $1 AND id IN (` + inList(len(part), 4) + `)`
			if _, err := t.execN(ctx, len(part), q, append([]any{tenantID, c.remaining, c.state}, anys(part)...)...); err != nil {
				return err
			}
		}
	}
	return nil
}

// GetLot reads a lot.
func (t *Tx) GetLot(ctx context.Context, tenantID, id string) (ledger.Lot, error) {
	l, err := scanLot(t.queryRow(ctx, `SELECT `+lotCols+` FROM ledger_lots WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return l, notFound(err, "lot", id)
}

// SpendableLots reads an account's available lots with points left, in the
// order they are spent (earliest expiry, then oldest), after a given lot.
func (t *Tx) SpendableLots(ctx context.Context, tenantID, accountID string, after ledger.Lot, limit int) ([]ledger.Lot, error) {
	ax, ae := int64(-1), int64(-1)
	if after.ID != "" {
		ax, ae = expiresMs(after.ExpiresAt), ms(after.EarnedAt)
	}
	return list(ctx, t, `SELECT `+lotCols+` FROM ledger_lots
		WHERE tenant_id = $1 AND account_id = $2 AND state = 'available' AND remaining > 0
		AND (expires_ms > $3 OR (expires_ms = $3 AND (earned_ms > $4 OR (earned_ms = $4 AND id > $5))))
		ORDER BY expires_ms, earned_ms, id LIMIT $6`, scanLot, tenantID, accountID, ax, ae, after.ID, limit)
}

// DueLots reads lots in a state whose time has come: expiry for available
// lots, availability for pending ones.
// The conditions repeat the partial indexes' own, literally, so that the
// planners can use them.
func (t *Tx) DueLots(ctx context.Context, tenantID, state string, before time.Time, limit int) ([]ledger.Lot, error) {
	q := `SELECT ` + lotCols + ` FROM ledger_lots WHERE tenant_id = $1 AND state = 'available' AND expires_ms < 253402300799999
		AND expires_ms <= $2 ORDER BY expires_ms LIMIT $3`
	if state == ledger.LotPending {
		q = `SELECT ` + lotCols + ` FROM ledger_lots WHERE tenant_id = $1 AND state = 'pending' AND available_ms <= $2 ORDER BY available_ms LIMIT $3`
	}
	return list(ctx, t, q, scanLot, tenantID, ms(before), limit)
}

// LotsByID reads lots by id.
func (t *Tx) LotsByID(ctx context.Context, tenantID string, ids []string) ([]ledger.Lot, error) {
	var out []ledger.Lot
	for _, part := range chunks(ids, rowsPerStatement) {
		rows, err := t.queryN(ctx, len(part), `SELECT `+lotCols+` FROM ledger_lots WHERE tenant_id = $1 AND id IN (`+inList(len(part), 2)+`)`,
			append([]any{tenantID}, anys(part)...)...)
		if err != nil {
			return nil, err
		}
		got, err := scanAll(rows, scanLot)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

// ExpiringLots reads an account's available lots with points left that
// expire by before, soonest first (limit 0: all).
func (t *Tx) ExpiringLots(ctx context.Context, tenantID, accountID string, before time.Time, limit int) ([]ledger.Lot, error) {
	if limit <= 0 {
		limit = 1 << 30
	}
	return list(ctx, t, `SELECT `+lotCols+` FROM ledger_lots
		WHERE tenant_id = $1 AND account_id = $2 AND state = 'available' AND remaining > 0 AND expires_ms <= $3
		ORDER BY expires_ms, id LIMIT $4`, scanLot, tenantID, accountID, ms(before), limit)
}
