package store

import (
	"context"
	"database/sql"

	"github.com/loyal-b2b/loyal/internal/analytics"
)

// walletOwners joins a wallet (a) to the organization it counts for: its
// own, or the one its member works at now.
const walletOwners = ` JOIN ledger_accounts a ON a.tenant_id = w.tenant_id AND a.id = w.account_id
	LEFT JOIN members m ON m.tenant_id = a.tenant_id AND m.id = a.owner_id AND a.owner_type = 'member'
	WHERE w.tenant_id = $1 AND a.owner_type IN ('organization', 'member')`

// pointTypeFilter narrows a query on accounts a to point types (nil:
// all), numbering parameters from n; ok false when none can match.
func pointTypeFilter(pointTypes []string, n int) (string, []any, bool) {
	if pointTypes == nil {
		return "", nil, true
	}
	if len(pointTypes) == 0 {
		return "", nil, false
	}
	return ` AND a.point_type_id IN (` + inList(len(pointTypes), n) + `)`, anys(pointTypes), true
}

// WalletActivity reads each organization's latest earn or spend effective
// before toMs from the aggregate: one row per wallet. The wallets whose
// latest activity is at or after toMs (a report of the past) are looked up
// in the ledger instead, all in one statement (pastActivity).
func (t *Tx) WalletActivity(ctx context.Context, tenantID string, pointTypes []string, toMs int64) ([]analytics.Activity, error) {
	filter, fargs, ok := pointTypeFilter(pointTypes, 2)
	if !ok {
		return nil, nil
	}
	type row struct {
		org, account string
		last         int64
	}
	rows, err := list(ctx, t, `SELECT COALESCE(m.organization_id, a.owner_id), w.account_id, w.last_ms FROM analytics_wallet_activity w`+
		walletOwners+filter, func(r rowScanner) (row, error) {
		var x row
		return x, r.Scan(&x.org, &x.account, &x.last)
	}, append([]any{tenantID}, fargs...)...)
	if err != nil {
		return nil, err
	}
	var later []string
	for _, x := range rows {
		if x.last >= toMs {
			later = append(later, x.account)
		}
	}
	past, err := t.pastActivity(ctx, tenantID, later, toMs)
	if err != nil {
		return nil, err
	}
	latest := map[string]int64{}
	for _, x := range rows {
		if x.last >= toMs {
			var found bool
			if x.last, found = past[x.account]; !found {
				continue // no earn or spend before toMs
			}
		}
		if prev, ok := latest[x.org]; !ok || x.last > prev {
			latest[x.org] = x.last
		}
	}
	return activities(latest), nil
}

// pastActivity reads from the ledger each of the wallets' latest earn or
// spend effective before toMs (wallets without one are left out), in one
// statement whatever their number: a report of last month can meet most
// wallets active since, and a query each took seconds on PostgreSQL. Each
// wallet is its own subquery, so that both planners walk its postings by
// the account index: joined as a set, PostgreSQL cannot estimate the set
// and hashes every posting and transaction of the tenant. CROSS JOIN keeps
// the postings the outer loop on SQLite, whose planner would otherwise
// walk the transactions' time index.
func (t *Tx) pastActivity(ctx context.Context, tenantID string, accounts []string, toMs int64) (map[string]int64, error) {
	out := map[string]int64{}
	if len(accounts) == 0 {
		return out, nil
	}
	set, err := jsonSetText(accounts)
	if err != nil {
		return nil, err
	}
	type last struct {
		account string
		ms      sql.NullInt64
	}
	rows, err := list(ctx, t, `SELECT s.value, (SELECT MAX(x.effective_ms) FROM ledger_postings p CROSS JOIN ledger_txs x
			WHERE p.tenant_id = $1 AND p.account_id = s.value AND x.tenant_id = p.tenant_id AND x.id = p.tx_id
			AND x.kind IN ('earn', 'spend') AND x.effective_ms < $3)
		FROM (`+t.jsonSet(2)+`) AS s`,
		func(r rowScanner) (last, error) {
			var l last
			return l, r.Scan(&l.account, &l.ms)
		}, tenantID, set, toMs)
	for _, l := range rows {
		if l.ms.Valid {
			out[l.account] = l.ms.Int64
		}
	}
	return out, err
}

// LastWalletActivity is WalletActivity from the ledger itself: every
// earn and spend posting on the wallets (the from-scratch answer the
// aggregate is checked against).
func (t *Tx) LastWalletActivity(ctx context.Context, tenantID string, pointTypes []string, toMs int64) ([]analytics.Activity, error) {
	filter, fargs, ok := pointTypeFilter(pointTypes, 3)
	if !ok {
		return nil, nil
	}
	rows, err := list(ctx, t, `SELECT COALESCE(m.organization_id, a.owner_id), MAX(x.effective_ms)
		FROM ledger_postings w JOIN ledger_txs x ON x.tenant_id = w.tenant_id AND x.id = w.tx_id`+walletOwners+`
		AND x.kind IN ('earn', 'spend') AND x.effective_ms < $2`+filter+` GROUP BY COALESCE(m.organization_id, a.owner_id)`,
		func(r rowScanner) (analytics.Activity, error) {
			var a analytics.Activity
			return a, r.Scan(&a.OrganizationID, &a.LastMs)
		}, append([]any{tenantID, toMs}, fargs...)...)
	if err != nil {
		return nil, err
	}
	latest := map[string]int64{}
	for _, a := range rows {
		latest[a.OrganizationID] = a.LastMs
	}
	return activities(latest), nil
}

func activities(latest map[string]int64) []analytics.Activity {
	out := make([]analytics.Activity, 0, len(latest))
	for id, ms := range latest {
		out = append(out, analytics.Activity{OrganizationID: id, LastMs: ms})
	}
	return out
}
