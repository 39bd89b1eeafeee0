package store

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

// ledgerChecks are the invariants of the ledger as queries that return the
// rows breaking them: tenant, entity, and a detail.
var ledgerChecks = []struct{ kind, query string }{
	{"unbalanced_tx", `SELECT tenant_id, tx_id, 'point type ' || point_type_id || ' postings sum to ' || CAST(SUM(amount) AS TEXT)
		FROM ledger_postings WHERE %s GROUP BY tenant_id, tx_id, point_type_id HAVING SUM(amount) <> 0`},
	{"balance_mismatch", `SELECT a.tenant_id, a.id, 'cached available ' || CAST(a.available AS TEXT) || ' pending ' || CAST(a.pending AS TEXT)
			|| ', postings say ' || CAST(COALESCE(SUM(CASE WHEN p.bucket = 'available' THEN p.amount ELSE 0 END), 0) AS TEXT)
			|| ' and ' || CAST(COALESCE(SUM(CASE WHEN p.bucket = 'pending' THEN p.amount ELSE 0 END), 0) AS TEXT)
		FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.tenant_id = a.tenant_id AND p.account_id = a.id
		WHERE a.owner_type <> 'system' AND %s
		GROUP BY a.tenant_id, a.id, a.available, a.pending
		HAVING a.available <> COALESCE(SUM(CASE WHEN p.bucket = 'available' THEN p.amount ELSE 0 END), 0)
			OR a.pending <> COALESCE(SUM(CASE WHEN p.bucket = 'pending' THEN p.amount ELSE 0 END), 0)`},
	{"lot_mismatch", `SELECT l.tenant_id, l.id, 'amount ' || CAST(l.amount AS TEXT) || ' remaining ' || CAST(l.remaining AS TEXT)
			|| ' uses ' || CAST(COALESCE(u.used, 0) AS TEXT)
		FROM ledger_lots l LEFT JOIN (SELECT tenant_id, lot_id, SUM(amount) AS used FROM ledger_lot_uses GROUP BY tenant_id, lot_id) u
			ON u.tenant_id = l.tenant_id AND u.lot_id = l.id
		WHERE (l.remaining <> l.amount - COALESCE(u.used, 0) OR l.remaining < 0 OR l.remaining > l.amount) AND %s`},
	{"lots_vs_balance", `SELECT a.tenant_id, a.id, 'available ' || CAST(a.available AS TEXT) || ' pending ' || CAST(a.pending AS TEXT)
			|| ', lots hold ' || CAST(COALESCE(SUM(CASE WHEN l.state = 'available' THEN l.remaining ELSE 0 END), 0) AS TEXT)
			|| ' and ' || CAST(COALESCE(SUM(CASE WHEN l.state = 'pending' THEN l.remaining ELSE 0 END), 0) AS TEXT)
		FROM ledger_accounts a LEFT JOIN ledger_lots l ON l.tenant_id = a.tenant_id AND l.account_id = a.id
		WHERE a.owner_type <> 'system' AND %s
		GROUP BY a.tenant_id, a.id, a.available, a.pending
		HAVING COALESCE(SUM(CASE WHEN l.state = 'available' THEN l.remaining ELSE 0 END), 0) <> CASE WHEN a.available > 0 THEN a.available ELSE 0 END
			OR COALESCE(SUM(CASE WHEN l.state = 'pending' THEN l.remaining ELSE 0 END), 0) <> a.pending`},
	{"negative", `SELECT a.tenant_id, a.id, 'available ' || CAST(a.available AS TEXT) || ' pending ' || CAST(a.pending AS TEXT)
			|| ', limit ' || CAST(t.negative_limit AS TEXT)
		FROM ledger_accounts a JOIN point_types t ON t.tenant_id = a.tenant_id AND t.id = a.point_type_id
		WHERE a.owner_type <> 'system' AND (a.available < -t.negative_limit OR a.pending < 0) AND %s`},
}

// CheckLedger runs every ledger check for a tenant ("" for all tenants).
func (t *Tx) CheckLedger(ctx context.Context, tenantID string) ([]ledger.Problem, error) {
	var out []ledger.Problem
	for _, c := range ledgerChecks {
		cond, args := "1 = 1", []any{}
		if tenantID != "" {
			cond, args = tenantCond(c.kind), []any{tenantID}
		}
		rows, err := t.q.QueryContext(t.ctx(ctx), fmt.Sprintf(c.query, cond)+" LIMIT 100", args...)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.kind, err)
		}
		got, err := scanAll(rows, func(r rowScanner) (ledger.Problem, error) {
			p := ledger.Problem{Kind: c.kind}
			return p, r.Scan(&p.Tenant, &p.Entity, &p.Detail)
		})
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.kind, err)
		}
		out = append(out, got...)
	}
	return out, nil
}

// tenantCond is the tenant filter of a check, on its main table.
func tenantCond(kind string) string {
	switch kind {
	case "unbalanced_tx":
		return "tenant_id = $1"
	case "lot_mismatch":
		return "l.tenant_id = $1"
	}
	return "a.tenant_id = $1"
}
