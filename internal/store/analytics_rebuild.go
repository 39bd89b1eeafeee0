package store

import (
	"context"
	"database/sql"

	"github.com/loyal-b2b/loyal/internal/analytics"
)

// rebuildOrgs is how many organizations' packs one rebuild transaction
// writes.
const rebuildOrgs = 1000

// RebuildAnalytics recomputes a tenant's analytics aggregates from the
// facts and the ledger (`loyal analytics rebuild`, the generator, and
// databases migrated from before the aggregates): the ledger's in one
// statement each, the packed facts organization page by page. It then
// clears the tenant's pending mark, from which on reports read the packs.
// It returns the facts packed. Run it when nothing else writes the
// tenant's history: a fact written during a page's rewrite could be
// counted twice.
func (db *DB) RebuildAnalytics(ctx context.Context, tenantID string) (int64, error) {
	if err := db.Write(ctx, func(tx *Tx) error { return tx.rebuildLedgerAggregates(ctx, tenantID) }); err != nil {
		return 0, err
	}
	return db.RebuildPacks(ctx, tenantID)
}

// RebuildPacks is RebuildAnalytics without the ledger aggregates, which
// the migration that created them has just filled.
func (db *DB) RebuildPacks(ctx context.Context, tenantID string) (int64, error) {
	var n int64
	var err error
	for after, done := "", false; err == nil && !done; {
		err = db.Write(ctx, func(tx *Tx) error {
			var k int
			var e error
			k, after, done, e = tx.rebuildPacks(ctx, tenantID, after)
			n += int64(k)
			return e
		})
	}
	if err != nil {
		return n, err
	}
	return n, db.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM analytics_pack_pending WHERE tenant_id = $1`, tenantID)
		return err
	})
}

func (t *Tx) rebuildLedgerAggregates(ctx context.Context, tenantID string) error {
	for _, q := range []string{
		`DELETE FROM analytics_ledger_days WHERE tenant_id = $1`,
		`DELETE FROM analytics_wallet_activity WHERE tenant_id = $1`,
		`INSERT INTO analytics_ledger_days (tenant_id, account_id, day, slot, amount)
			SELECT p.tenant_id, p.account_id, x.effective_ms / 86400000, 0, SUM(p.amount)
			FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
			JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id AND a.owner_type = 'system'
			WHERE p.tenant_id = $1 GROUP BY p.tenant_id, p.account_id, x.effective_ms / 86400000`,
		`INSERT INTO analytics_wallet_activity (tenant_id, account_id, last_ms)
			SELECT p.tenant_id, p.account_id, MAX(x.effective_ms)
			FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
			JOIN ledger_accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id AND a.owner_type IN ('organization', 'member')
			WHERE p.tenant_id = $1 AND x.kind IN ('earn', 'spend') GROUP BY p.tenant_id, p.account_id`,
	} {
		if _, err := t.exec(ctx, q, tenantID); err != nil {
			return err
		}
	}
	return nil
}

// rebuildPacks rewrites the packs of the next page of organizations after
// after; done on the last page, which also drops packs of organizations
// beyond it.
func (t *Tx) rebuildPacks(ctx context.Context, tenantID, after string) (n int, last string, done bool, err error) {
	orgs, err := list(ctx, t, `SELECT DISTINCT organization_id FROM sales_facts WHERE tenant_id = $1 AND organization_id > $2
		ORDER BY organization_id LIMIT $3`, scanString, tenantID, after, rebuildOrgs)
	if err != nil {
		return 0, after, false, err
	}
	done = len(orgs) < rebuildOrgs
	del, args := `DELETE FROM analytics_org_facts WHERE tenant_id = $1 AND organization_id > $2`, []any{tenantID, after}
	if !done {
		last = orgs[len(orgs)-1]
		del, args = del+` AND organization_id <= $3`, append(args, last)
	}
	if _, err := t.exec(ctx, del, args...); err != nil || len(orgs) == 0 {
		return 0, last, done, err
	}
	facts, err := list(ctx, t, `SELECT organization_id, occurred_ms, type, amount, cost FROM sales_facts
		WHERE tenant_id = $1 AND organization_id > $2 AND organization_id <= $3`, func(r rowScanner) (analytics.Fact, error) {
		f := analytics.Fact{TenantID: tenantID}
		return f, r.Scan(&f.OrganizationID, &f.OccurredMs, &f.Type, &f.Amount, &f.Cost)
	}, tenantID, after, orgs[len(orgs)-1])
	if err != nil || len(facts) == 0 {
		return 0, last, done, err
	}
	return len(facts), last, done, t.appendPacked(ctx, facts)
}

// PacksPending tells whether a tenant's packs await a rebuild.
func (t *Tx) PacksPending(ctx context.Context, tenantID string) (bool, error) {
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM analytics_pack_pending WHERE tenant_id = $1`, tenantID).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, err
}
