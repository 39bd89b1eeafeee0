package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
)

// SalesBetween sums purchases and returns by time (sales_facts_time).
func (t *Tx) SalesBetween(ctx context.Context, tenantID string, fromMs, toMs int64) (analytics.SalesTotal, error) {
	var s analytics.SalesTotal
	err := t.queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN type = 'purchase' THEN amount ELSE -amount END), 0),
			COALESCE(SUM(CASE WHEN type = 'purchase' THEN 1 ELSE 0 END), 0),
			COUNT(DISTINCT CASE WHEN type = 'purchase' THEN organization_id END)
		FROM sales_facts WHERE tenant_id = $1 AND occurred_ms >= $2 AND occurred_ms < $3`, tenantID, fromMs, toMs).
		Scan(&s.Net, &s.Purchases, &s.Buyers)
	return s, err
}

// EnrolledSalesBetween is SalesBetween's net amount of organizations
// enrolled in a program.
func (t *Tx) EnrolledSalesBetween(ctx context.Context, tenantID string, fromMs, toMs int64) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN f.type = 'purchase' THEN f.amount ELSE -f.amount END), 0)
		FROM sales_facts f WHERE f.tenant_id = $1 AND f.occurred_ms >= $2 AND f.occurred_ms < $3
		AND EXISTS (SELECT 1 FROM program_states s WHERE s.tenant_id = f.tenant_id AND s.owner_type = 'organization' AND s.owner_id = f.organization_id)`,
		tenantID, fromMs, toMs).Scan(&n)
	return n, err
}

// EnrolledCount counts organizations enrolled in any program.
func (t *Tx) EnrolledCount(ctx context.Context, tenantID string) (int64, error) {
	var n int64
	err := t.queryRow(ctx, `SELECT COUNT(DISTINCT owner_id) FROM program_states WHERE tenant_id = $1 AND owner_type = 'organization'`, tenantID).Scan(&n)
	return n, err
}

// SalesByDay sums net sales and purchases per UTC day.
func (t *Tx) SalesByDay(ctx context.Context, tenantID string, fromMs, toMs int64) ([]analytics.Day, error) {
	rows, err := list(ctx, t, `SELECT CAST(occurred_ms / 86400000 AS BIGINT) AS d,
			SUM(CASE WHEN type = 'purchase' THEN amount ELSE -amount END), SUM(CASE WHEN type = 'purchase' THEN 1 ELSE 0 END)
		FROM sales_facts WHERE tenant_id = $1 AND occurred_ms >= $2 AND occurred_ms < $3
		GROUP BY CAST(occurred_ms / 86400000 AS BIGINT) ORDER BY d`, func(r rowScanner) (analytics.Day, error) {
		var d analytics.Day
		var day int64
		err := r.Scan(&day, &d.Sales, &d.Orders)
		d.Day = clock.FromMillis(day * 86400000)
		return d, err
	}, tenantID, fromMs, toMs)
	if err != nil {
		return nil, err
	}
	// Every day of the range, with zeros where nothing was sold.
	out := []analytics.Day{}
	i := 0
	for day := fromMs / 86400000; day*86400000 < toMs; day++ {
		d := analytics.Day{Day: clock.FromMillis(day * 86400000)}
		if i < len(rows) && rows[i].Day.Equal(d.Day) {
			d = rows[i]
			i++
		}
		out = append(out, d)
	}
	return out, nil
}

// ScanTxsBetween reads the postings of transactions by effective time
// (ledger_txs_time); postings are in each transaction's legs.
func (t *Tx) ScanTxsBetween(ctx context.Context, tenantID string, fromMs, toMs int64, fn func(ledger.Kind, []ledger.Posting) error) error {
	rows, err := t.query(ctx, `SELECT id, kind, legs FROM ledger_txs WHERE tenant_id = $1 AND effective_ms >= $2 AND effective_ms < $3`, tenantID, fromMs, toMs)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, legsJSON string
		var kind ledger.Kind
		if err := rows.Scan(&id, &kind, &legsJSON); err != nil {
			return err
		}
		var legs txLegs
		if err := json.Unmarshal([]byte(legsJSON), &legs); err != nil {
			return fmt.Errorf("transaction %s: legs: %w", id, err)
		}
		if err := fn(kind, legs.Postings); err != nil {
			return err
		}
	}
	return rows.Err()
}

// WalletTotals sums what the wallets of each point type hold.
func (t *Tx) WalletTotals(ctx context.Context, tenantID string) (map[string]int64, error) {
	rows, err := t.query(ctx, `SELECT point_type_id, COALESCE(SUM(available + pending), 0) FROM ledger_accounts
		WHERE tenant_id = $1 AND owner_type <> 'system' GROUP BY point_type_id`, tenantID)
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

// CountWaiting counts what waits in the approval inbox.
func (t *Tx) CountWaiting(ctx context.Context, tenantID string) (analytics.Waiting, error) {
	var w analytics.Waiting
	err := t.queryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM claims WHERE tenant_id = $1 AND status = 'pending'),
		(SELECT COUNT(*) FROM ledger_adjustments WHERE tenant_id = $1 AND status = 'pending_approval'),
		(SELECT COUNT(*) FROM redemptions WHERE tenant_id = $1 AND status = 'awaiting_operator'),
		(SELECT COUNT(*) FROM program_versions WHERE tenant_id = $1 AND approval = 'pending')`, tenantID).
		Scan(&w.Claims, &w.Adjustments, &w.Redemptions, &w.Versions)
	return w, err
}

// PilotPrograms reads the programs running as a pilot.
func (t *Tx) PilotPrograms(ctx context.Context, tenantID string) ([]program.Program, error) {
	return list(ctx, t, `SELECT `+programRead+` FROM programs WHERE tenant_id = $1 AND status = 'pilot' ORDER BY id`, scanProgram, tenantID)
}

// SegmentSizes lists segments with their member counts at last refresh.
func (t *Tx) SegmentSizes(ctx context.Context, tenantID string) ([]analytics.Count, error) {
	return list(ctx, t, `SELECT name, members FROM segments WHERE tenant_id = $1 ORDER BY members DESC, name LIMIT 8`,
		func(r rowScanner) (analytics.Count, error) {
			var c analytics.Count
			return c, r.Scan(&c.Label, &c.N)
		}, tenantID)
}
