package store

import (
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// The ledger's jobs (expiry, pending → available) work on thousands of
// lots per transaction. Their new rows (transactions, postings, lot uses)
// are held as an event batch's are: a COPY per table on PostgreSQL,
// multi-row statements on SQLite. The sets they read and change (the
// wallets to lock, the lots to read again and move, the wallets' new
// balances on PostgreSQL) go as JSON sets (jsonset.go): one statement per
// set, whatever its size.

// LockAccountSet is LockAccounts for any number of ids, in one statement.
func (t *Tx) LockAccountSet(ctx context.Context, tenantID string, ids []string) ([]ledger.Account, error) {
	set, err := jsonSetText(slices.Compact(slices.Sorted(slices.Values(ids)))) // locked in id order, as every holder does
	if err != nil {
		return nil, err
	}
	return probed(ctx, t, t.keyed("ledger_accounts", accountCols, "id", 2, true), scanAccount, tenantID, set)
}

// LotSet is LotsByID for any number of ids, in one statement.
func (t *Tx) LotSet(ctx context.Context, tenantID string, ids []string) ([]ledger.Lot, error) {
	set, err := jsonSetText(ids)
	if err != nil {
		return nil, err
	}
	return probed(ctx, t, t.keyed("ledger_lots", lotCols, "id", 2, false), scanLot, tenantID, set)
}

// WriteLotJob writes a batch of the ledger's jobs: its transactions,
// postings and lot uses (held rows, as an event batch's: a COPY each on
// PostgreSQL, multi-row statements on SQLite), the lots' new state and
// remaining, and the wallets' balances. A lot is changed only if it is
// still in the state the job read it in; if any is not, nothing of the
// batch is written.
func (t *Tx) WriteLotJob(ctx context.Context, w ledger.LotJobWrite) error {
	if err := t.InsertTxs(ctx, w.Txs); err != nil {
		return err
	}
	if err := t.InsertPostings(ctx, w.TenantID, w.Postings); err != nil {
		return err
	}
	if err := t.InsertUses(ctx, w.TenantID, w.Uses); err != nil {
		return err
	}
	if err := t.moveLots(ctx, w); err != nil {
		return err
	}
	return t.SetAccountSet(ctx, w.TenantID, w.Accounts)
}

// moveLots sets the lots' state to w.To, and their remaining where it
// changed: one statement per distinct new remaining (an expiry run: one in
// all), each conditional on the lots still being in state w.From.
func (t *Tx) moveLots(ctx context.Context, w ledger.LotJobWrite) error {
	const keep = -1
	groups := map[int64][]string{}
	var order []int64
	for i, l := range w.Lots {
		r := l.Remaining
		if r == w.Before[i] {
			r = keep
		}
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], l.ID)
	}
	for _, r := range order {
		set, err := jsonSetText(groups[r])
		if err != nil {
			return err
		}
		q := `UPDATE ledger_lots SET state = $2, remaining = CASE WHEN CAST($3 AS BIGINT) < 0 THEN remaining ELSE CAST($3 AS BIGINT) END
			WHERE tenant_id = $1 AND state = $4 AND id ` + t.inSet(5)
		res, err := t.exec(ctx, q, w.TenantID, w.To, r, w.From, set)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(groups[r])) {
			return errs.E(errs.Conflict, "lots_changed", "%d of %d lots changed while the job ran; run it again", int64(len(groups[r]))-n, len(groups[r]))
		}
	}
	return nil
}

// SetAccountSet writes locked wallets' balances: on PostgreSQL with one
// UPDATE … FROM the set (its wallets found by index, see inSet), held
// with the transaction's other writes (nothing reads its answer); on
// SQLite, where that plans as a scan of the table, with one prepared
// statement per wallet (no round trips there).
func (t *Tx) SetAccountSet(ctx context.Context, tenantID string, accts []ledger.Account) error {
	if t.d.engine() != Postgres || len(accts) == 0 {
		return t.SetAccounts(ctx, accts)
	}

	rows := make([][]any, len(accts))
	for i, a := range accts {
		rows[i] = []any{a.ID, a.Available, a.Pending, a.Seq, ms(a.UpdatedAt)}
	}
	data, err := jsonSetText(rows)
	if err != nil {
		return err
	}
	return t.later(ctx, nil, setAccounts, tenantID, data)
}

// setAccounts sets the balances of the wallets of the JSON array $2 (id,
// available, pending, seq, updated), found by index (= ANY: see inSet).
const setAccounts = `UPDATE ledger_accounts a SET available = (r.value->>1)::bigint, pending = (r.value->>2)::bigint,
		seq = (r.value->>3)::bigint, updated_ms = (r.value->>4)::bigint
	FROM jsonb_array_elements($2::jsonb) AS r(value)
	WHERE a.tenant_id = $1 AND a.id = ANY(ARRAY(SELECT jsonb_array_elements($2::jsonb)->>0)) AND a.id = r.value->>0`
