package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

var txCols = []string{"tenant_id", "id", "kind", "idem_key", "request_hash", "effective_ms", "created_ms", "actor_type", "actor_id",
	"staff_id", "event_id", "rule_id", "reason", "reverses_id", "reversed_by", "legs", "reference"}

var txColList = strings.Join(txCols, ", ")

// txLegs is what a transaction row carries besides its header: its
// postings, the ids of the lots it created and its lot uses, so that a
// transaction is read back whole with one row.
type txLegs struct {
	Postings []ledger.Posting `json:"p"`
	Lots     []string         `json:"l,omitempty"`
	Uses     []ledger.LotUse  `json:"u,omitempty"`
}

func txArgs(t ledger.Transaction) ([]any, error) {
	legs := txLegs{Postings: t.Postings, Uses: t.Uses}
	for _, l := range t.Lots {
		legs.Lots = append(legs.Lots, l.ID)
	}
	b, err := json.Marshal(legs)
	return []any{t.TenantID, t.ID, t.Kind, t.IdemKey, t.RequestHash, ms(t.Effective), ms(t.Created), t.ActorType, t.ActorID,
		t.StaffID, t.EventID, t.RuleID, t.Reason, t.ReversesID, t.ReversedBy, string(b), t.Reference}, err
}

// InsertTx inserts a transaction unless one with its id (derived from its
// idempotency key) exists; it reports whether it inserted. Either insert
// adds the transaction to the analytics aggregates (analytics_ledger.go).
func (t *Tx) InsertTx(ctx context.Context, tr ledger.Transaction) (bool, error) {
	args, err := txArgs(tr)
	if err != nil {
		return false, err
	}
	res, err := t.exec(ctx, `INSERT INTO ledger_txs (`+txColList+`) VALUES (`+inList(len(txCols), 1)+`)
		ON CONFLICT (tenant_id, id) DO NOTHING`, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	return true, t.aggregateTxs(ctx, []ledger.Transaction{tr})
}

// InsertTxs inserts transactions (the jobs' and event batches'). An id
// that is taken is a conflict: the transaction it derives from was posted
// already, or its key was taken by another.
func (t *Tx) InsertTxs(ctx context.Context, txs []ledger.Transaction) error {
	rows := make([][]any, len(txs))
	for i, tr := range txs {
		var err error
		if rows[i], err = txArgs(tr); err != nil {
			return err
		}
	}
	explain := func(err error) error {
		if !t.d.isUnique(err) {
			return err
		}
		key := txs[0].IdemKey
		if len(txs) > 1 {
			key += " (or another of the batch's)"
		}
		return errs.E(errs.Conflict, "transaction_exists", "a ledger transaction with the id of key %s exists already", key)
	}
	if err := t.heldRows(ctx, explain, "ledger_txs", txCols, "", len(txs), func(i int) []any { return rows[i] }); err != nil {
		return err
	}
	return t.aggregateTxs(ctx, txs) // analytics_ledger.go
}

// GetTx reads a transaction with its postings, the lots it created (as
// they are now) and its lot uses.
func (t *Tx) GetTx(ctx context.Context, tenantID, id string) (ledger.Transaction, error) {
	return t.getTx(ctx, tenantID, id, "")
}

// TxIDsTaken returns those of ids that are transactions' ids, in one
// statement (a batch of joined earns checks its keys at once).
func (t *Tx) TxIDsTaken(ctx context.Context, tenantID string, ids []string) ([]string, error) {
	set, err := jsonSetText(ids)
	if err != nil {
		return nil, err
	}
	return probed(ctx, t, t.keyed("ledger_txs", "id", "id", 2, false), scanString, tenantID, set)
}

// LockTx is GetTx for a transaction about to be marked reversed: its row
// is locked until the end of the database transaction, so that of two
// reversals of it the second reads it only after the first has committed.
func (t *Tx) LockTx(ctx context.Context, tenantID, id string) (ledger.Transaction, error) {
	return t.getTx(ctx, tenantID, id, t.forUpdate())
}

func (t *Tx) getTx(ctx context.Context, tenantID, id, lock string) (ledger.Transaction, error) {
	var tr ledger.Transaction
	var e, c int64
	var legsJSON string
	// Often a write's first statement (an earn's idempotency check): on
	// PostgreSQL it goes with the BEGIN. All its columns are text or integers.
	// With the generic plan (generic_plans.go): by primary key whatever
	// the statistics say of the tenant.
	err := t.genericPlans(ctx, func() error {
		return t.rowAfterHeld(ctx, `SELECT `+txColList+` FROM ledger_txs WHERE tenant_id = $1 AND id = $2`+lock, tenantID, id).Scan(
			&tr.TenantID, &tr.ID, &tr.Kind, &tr.IdemKey, &tr.RequestHash, &e, &c, &tr.ActorType, &tr.ActorID,
			&tr.StaffID, &tr.EventID, &tr.RuleID, &tr.Reason, &tr.ReversesID, &tr.ReversedBy, &legsJSON, &tr.Reference)
	})
	if err != nil {
		return tr, notFound(err, "transaction", id)
	}
	tr.Effective, tr.Created = clock.FromMillis(e), clock.FromMillis(c)
	var legs txLegs
	if err := json.Unmarshal([]byte(legsJSON), &legs); err != nil {
		return tr, fmt.Errorf("transaction %s: legs: %w", id, err)
	}
	tr.Postings, tr.Uses = legs.Postings, legs.Uses
	for i := range tr.Postings {
		tr.Postings[i].TxID = id
	}
	if len(legs.Lots) > 0 {
		if tr.Lots, err = t.LotsByID(ctx, tenantID, legs.Lots); err != nil {
			return tr, err
		}
	}
	return tr, nil
}

// SetReversedBy marks a transaction reversed unless it already is; it
// reports whether it did.
func (t *Tx) SetReversedBy(ctx context.Context, tenantID, id, by string) (bool, error) {
	return affected(t.exec(ctx, `UPDATE ledger_txs SET reversed_by = $3 WHERE tenant_id = $1 AND id = $2 AND reversed_by = ''`, tenantID, id, by))
}

var postingCols = []string{"tenant_id", "tx_id", "seq", "account_id", "point_type_id", "bucket", "amount", "lot_id", "account_seq",
	"available_after", "pending_after"}

func optInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func intOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// InsertPostings inserts postings.
func (t *Tx) InsertPostings(ctx context.Context, tenantID string, ps []ledger.Posting) error {
	return t.heldRows(ctx, nil, "ledger_postings", postingCols, "", len(ps), func(i int) []any {
		p := ps[i]
		return []any{tenantID, p.TxID, p.Seq, p.AccountID, p.PointTypeID, p.Bucket, p.Amount, p.LotID,
			intOrNil(p.AccountSeq), intOrNil(p.AvailableAfter), intOrNil(p.PendingAfter)}
	})
}

var useCols = []string{"tenant_id", "tx_id", "lot_id", "amount"}

// InsertUses inserts lot uses.
func (t *Tx) InsertUses(ctx context.Context, tenantID string, uses []ledger.LotUse) error {
	return t.heldRows(ctx, nil, "ledger_lot_uses", useCols, "", len(uses), func(i int) []any {
		return []any{tenantID, uses[i].TxID, uses[i].LotID, uses[i].Amount}
	})
}

// Statement reads a page of an account's postings with their transactions.
// The cursor is "<account_seq>:<seq>:<tx id>" of the last line seen.
func (t *Tx) Statement(ctx context.Context, tenantID, accountID string, r page.Request) ([]ledger.StatementLine, error) {
	afterSeq, afterPos := int64(-1), int64(0)
	if r.After != "" {
		parts := strings.SplitN(r.After, ":", 3)
		var err1, err2 error
		if len(parts) == 3 {
			afterSeq, err1 = strconv.ParseInt(parts[0], 10, 64)
			afterPos, err2 = strconv.ParseInt(parts[1], 10, 64)
		}
		if len(parts) != 3 || err1 != nil || err2 != nil {
			return nil, errs.InvalidField("cursor", "invalid_cursor", "cursor is not one this API returned")
		}
	}
	return list(ctx, t, `SELECT p.tx_id, p.seq, p.account_id, p.point_type_id, p.bucket, p.amount, p.lot_id, p.account_seq, p.available_after,
			p.pending_after, x.kind, x.effective_ms, x.created_ms, x.reason, x.event_id, x.reference, x.rule_id
		FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
		WHERE p.tenant_id = $1 AND p.account_id = $2 AND (p.account_seq > $3 OR (p.account_seq = $3 AND p.seq > $4))
		ORDER BY p.account_seq, p.seq LIMIT $5`,
		func(row rowScanner) (ledger.StatementLine, error) {
			var l ledger.StatementLine
			var seq, av, pe sql.NullInt64
			var e, c int64
			err := row.Scan(&l.TxID, &l.Seq, &l.AccountID, &l.PointTypeID, &l.Bucket, &l.Amount, &l.LotID, &seq, &av, &pe,
				&l.Kind, &e, &c, &l.Reason, &l.EventID, &l.Reference, &l.RuleID)
			l.AccountSeq, l.AvailableAfter, l.PendingAfter = optInt(seq), optInt(av), optInt(pe)
			l.Effective, l.Created = clock.FromMillis(e), clock.FromMillis(c)
			return l, err
		}, tenantID, accountID, afterSeq, afterPos, r.Limit+1)
}
