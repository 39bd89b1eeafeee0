package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
)

// InsertFact stores an event's sales fact (once: a replay writes nothing).
func (t *Tx) InsertFact(ctx context.Context, f analytics.Fact) error {
	_, err := t.exec(ctx, `INSERT INTO sales_facts (tenant_id, event_id, organization_id, occurred_ms, type, amount, qty, cost)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		f.TenantID, f.EventID, f.OrganizationID, f.OccurredMs, f.Type, f.Amount, f.Qty, f.Cost)
	return err
}

// ScanFacts streams the facts before toMs by organization and time. The
// covering index serves the whole scan.
func (t *Tx) ScanFacts(ctx context.Context, tenantID string, toMs int64, fn func(analytics.Fact) error) error {
	rows, err := t.query(ctx, `SELECT organization_id, occurred_ms, type, amount, cost FROM sales_facts
		WHERE tenant_id = $1 AND occurred_ms < $2 ORDER BY tenant_id, organization_id, occurred_ms`, tenantID, toMs)
	if err != nil {
		return err
	}
	defer rows.Close()
	f := analytics.Fact{TenantID: tenantID}
	for rows.Next() {
		if err := rows.Scan(&f.OrganizationID, &f.OccurredMs, &f.Type, &f.Amount, &f.Cost); err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ProgramStates reads participants' states of a program (of every
// program when programID is "").
func (t *Tx) ProgramStates(ctx context.Context, tenantID, programID string) ([]analytics.StateRow, error) {
	scan := func(r rowScanner) (analytics.StateRow, error) {
		var s analytics.StateRow
		return s, r.Scan(&s.ProgramID, &s.OwnerType, &s.OwnerID, &s.State)
	}
	if programID == "" {
		return list(ctx, t, `SELECT program_id, owner_type, owner_id, state FROM program_states
			WHERE tenant_id = $1 AND owner_type = 'organization'`, scan, tenantID)
	}
	return list(ctx, t, `SELECT program_id, owner_type, owner_id, state FROM program_states
		WHERE tenant_id = $1 AND program_id = $2 AND owner_type = 'organization'`, scan, tenantID, programID)
}

// ScanOrganizations streams a tenant's organizations by id.
func (t *Tx) ScanOrganizations(ctx context.Context, tenantID string, fn func(party.Organization) error) error {
	rows, err := t.query(ctx, `SELECT `+orgCols+` FROM organizations WHERE tenant_id = $1 ORDER BY id`, tenantID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ActiveMembersPerOrg counts active members created before toMs per
// organization.
func (t *Tx) ActiveMembersPerOrg(ctx context.Context, tenantID string, toMs int64) (map[string]int64, error) {
	rows, err := t.query(ctx, `SELECT organization_id, COUNT(*) FROM members
		WHERE tenant_id = $1 AND status = 'active' AND created_ms < $2 GROUP BY organization_id`, tenantID, toMs)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// LastWalletActivity finds each organization's last earn or spend before
// toMs on its own wallets or its members' (of the given point types, or
// all). A member's wallet counts for the organization the member works
// at now.
func (t *Tx) LastWalletActivity(ctx context.Context, tenantID string, pointTypes []string, toMs int64) ([]analytics.Activity, error) {
	q := `SELECT COALESCE(m.organization_id, a.owner_id), MAX(x.effective_ms)
		FROM ledger_accounts a
		LEFT JOIN members m ON m.tenant_id = a.tenant_id AND m.id = a.owner_id AND a.owner_type = 'member'
		JOIN ledger_postings p ON p.tenant_id = a.tenant_id AND p.account_id = a.id
		JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
		WHERE a.tenant_id = $1 AND a.owner_type IN ('organization', 'member') AND x.kind IN ('earn', 'spend') AND x.effective_ms < $2`
	args := []any{tenantID, toMs}
	if pointTypes != nil {
		if len(pointTypes) == 0 {
			return nil, nil
		}
		q += ` AND a.point_type_id IN (` + inList(len(pointTypes), 3) + `)`
		args = append(args, anys(pointTypes)...)
	}
	q += ` GROUP BY COALESCE(m.organization_id, a.owner_id)`
	return list(ctx, t, q, func(r rowScanner) (analytics.Activity, error) {
		var a analytics.Activity
		return a, r.Scan(&a.OrganizationID, &a.LastMs)
	}, args...)
}

// PointTypesOf reads a program's point types, or every one of the tenant.
func (t *Tx) PointTypesOf(ctx context.Context, tenantID, programID string) ([]ledger.PointType, error) {
	if programID != "" {
		return t.ListPointTypes(ctx, tenantID, programID)
	}
	return list(ctx, t, `SELECT `+pointTypeCols+` FROM point_types WHERE tenant_id = $1 ORDER BY program_id, code`, scanPointType, tenantID)
}

// SystemSums adds up postings of system accounts: those of transactions
// effective in [fromMs, toMs), and all before toMs.
func (t *Tx) SystemSums(ctx context.Context, tenantID string, accounts []string, fromMs, toMs int64) ([]analytics.SystemSum, error) {
	return list(ctx, t, `SELECT p.account_id,
		COALESCE(SUM(CASE WHEN x.effective_ms >= $2 THEN p.amount ELSE 0 END), 0), COALESCE(SUM(p.amount), 0)
		FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
		WHERE p.tenant_id = $1 AND x.effective_ms < $3 AND p.account_id IN (`+inList(len(accounts), 4)+`)
		GROUP BY p.account_id`, func(r rowScanner) (analytics.SystemSum, error) {
		var s analytics.SystemSum
		return s, r.Scan(&s.AccountID, &s.InRange, &s.BeforeTo)
	}, append([]any{tenantID, fromMs, toMs}, anys(accounts)...)...)
}
