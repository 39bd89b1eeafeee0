package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"hash/fnv"
	"slices"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// The ledger's analytics aggregates (migration 0027) are written with the
// transactions they summarize, in the same database transaction: the daily
// totals of system accounts (economics) and each wallet's latest earn or
// spend (participation).

// daySlots spreads a day's total of one account over rows, so that
// concurrent transactions on PostgreSQL seldom wait for each other's row
// (each holds its slot's row until it commits). With 16 slots, eight
// concurrent earns often met on one and queued behind its commit: HTTP
// earns on PostgreSQL went from 550–680/s to 830–860/s with 256
// (2026-12-06). Readers sum a day's slots whatever their number.
const daySlots = 256

type dayKey struct {
	account   string
	day, slot int64
}

// HoldAggregates keeps the aggregates of the transactions written from
// now on until FlushAggregates writes them all at once, in key order: a
// database transaction that posts several ledger transactions then locks
// its aggregate rows after its wallets, in one order, as any other does.
func (t *Tx) HoldAggregates() { t.held = true }

// FlushAggregates writes the held aggregates and stops holding them.
func (t *Tx) FlushAggregates(ctx context.Context) error {
	txs := t.aggregates
	t.held, t.aggregates = false, nil
	return t.aggregateTxs(ctx, txs)
}

// aggregateTxs adds written transactions to the ledger aggregates.
func (t *Tx) aggregateTxs(ctx context.Context, txs []ledger.Transaction) error {
	if t.held {
		t.aggregates = append(t.aggregates, txs...)
		return nil
	}
	if len(txs) == 0 {
		return nil
	}
	days, last := map[dayKey]int64{}, map[string]int64{}
	system := map[string]bool{}
	for _, tr := range txs {
		eff, slot := ms(tr.Effective), slotOf(tr.ID)
		activity := tr.Kind == ledger.KindEarn || tr.Kind == ledger.KindSpend
		for _, p := range tr.Postings {
			if isSystem(system, p) {
				days[dayKey{p.AccountID, eff / dayMs, slot}] += p.Amount
			} else if cur, ok := last[p.AccountID]; activity && (!ok || eff > cur) {
				last[p.AccountID] = eff
			}
		}
	}
	if err := t.upsertDays(ctx, txs[0].TenantID, days); err != nil {
		return err
	}
	return t.upsertActivity(ctx, txs[0].TenantID, last)
}

// isSystem tells a system account's posting, remembering the point
// types' system account ids in known.
func isSystem(known map[string]bool, p ledger.Posting) bool {
	if _, ok := known[p.PointTypeID]; !ok {
		known[p.PointTypeID] = true
		for _, k := range ledger.SystemKinds {
			known[ledger.SystemAccountID(p.PointTypeID, k)] = true
		}
	}
	return known[p.AccountID]
}

func slotOf(txID string) int64 {
	h := fnv.New32a()
	h.Write([]byte(txID))
	return int64(h.Sum32() % daySlots)
}

// upsertDays adds the amounts to their days' slots, in key order (two
// writers lock rows in the same order: no deadlock).
func (t *Tx) upsertDays(ctx context.Context, tenantID string, days map[dayKey]int64) error {
	keys := make([]dayKey, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		return cmp.Or(cmp.Compare(a.account, b.account), cmp.Compare(a.day, b.day), cmp.Compare(a.slot, b.slot))
	})
	return t.heldRows(ctx, nil, "analytics_ledger_days", []string{"tenant_id", "account_id", "day", "slot", "amount"},
		"(tenant_id, account_id, day, slot) DO UPDATE SET amount = analytics_ledger_days.amount + excluded.amount",
		len(keys), func(i int) []any { k := keys[i]; return []any{tenantID, k.account, k.day, k.slot, days[k]} })
}

// upsertActivity raises wallets' latest activity, in account order.
func (t *Tx) upsertActivity(ctx context.Context, tenantID string, last map[string]int64) error {
	ids := make([]string, 0, len(last))
	for id := range last {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return t.heldRows(ctx, nil, "analytics_wallet_activity", []string{"tenant_id", "account_id", "last_ms"},
		`(tenant_id, account_id) DO UPDATE SET last_ms = CASE WHEN excluded.last_ms > analytics_wallet_activity.last_ms
			THEN excluded.last_ms ELSE analytics_wallet_activity.last_ms END`,
		len(ids), func(i int) []any { return []any{tenantID, ids[i], last[ids[i]]} })
}

// SystemDays sums system accounts' daily totals over whole days
// [fromDay, toDay) (analytics.LedgerAggregates).
func (t *Tx) SystemDays(ctx context.Context, tenantID string, accounts []string, fromDay, toDay int64) (map[string]int64, error) {
	return t.sumsByAccount(ctx, `SELECT account_id, `+splitSum("amount")+` FROM analytics_ledger_days
		WHERE tenant_id = $1 AND day >= $2 AND day < $3 AND account_id IN (`+inList(len(accounts), 4)+`) GROUP BY account_id`,
		append([]any{tenantID, fromDay, toDay}, anys(accounts)...)...)
}

// SystemMoves sums system accounts' postings of transactions effective
// in [fromMs, toMs) from the ledger itself (the edges of a range that
// whole days do not cover). The transactions come through their time
// index, and each row carries its postings (legs): no posting is read.
func (t *Tx) SystemMoves(ctx context.Context, tenantID string, accounts []string, fromMs, toMs int64) (map[string]int64, error) {
	rows, err := t.query(ctx, `SELECT legs FROM ledger_txs WHERE tenant_id = $1 AND effective_ms >= $2 AND effective_ms < $3`, tenantID, fromMs, toMs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, a := range accounts {
		want[a] = true
	}
	out := map[string]int64{}
	var c money.Checked
	var raw sql.RawBytes
	for rows.Next() {
		var legs txLegs
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &legs); err != nil {
			return nil, err
		}
		for _, p := range legs.Postings {
			if want[p.AccountID] {
				v := out[p.AccountID]
				c.Add(&v, p.Amount)
				out[p.AccountID] = v
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, c.Err()
}

func (t *Tx) sumsByAccount(ctx context.Context, q string, args ...any) (map[string]int64, error) {
	rows, err := list(ctx, t, q, func(r rowScanner) (analytics.SystemSum, error) {
		var s analytics.SystemSum
		return s, scanSums(r, []any{&s.AccountID}, &s.InRange)
	}, args...)
	out := map[string]int64{}
	for _, r := range rows {
		out[r.AccountID] = r.InRange
	}
	return out, err
}
