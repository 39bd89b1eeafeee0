package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// InsertFact stores an event's sales fact and appends it to its
// organization's pack (once: a replay writes nothing).
func (t *Tx) InsertFact(ctx context.Context, f analytics.Fact) error {
	res, err := t.exec(ctx, `INSERT INTO sales_facts (tenant_id, event_id, organization_id, occurred_ms, type, amount, qty, cost)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		f.TenantID, f.EventID, f.OrganizationID, f.OccurredMs, f.Type, f.Amount, f.Qty, f.Cost)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return t.appendPacked(ctx, []analytics.Fact{f})
}

// InsertFacts is InsertFact for many facts: on PostgreSQL one statement
// for the facts and their packs, on SQLite one prepared statement each.
func (t *Tx) InsertFacts(ctx context.Context, facts []analytics.Fact) error {
	if t.d.engine() != Postgres || len(facts) < 2 {
		for _, f := range facts {
			if err := t.InsertFact(ctx, f); err != nil {
				return err
			}
		}
		return nil
	}
	rows := make([][]any, len(facts))
	for i, f := range facts {
		rows[i] = []any{f.EventID, f.OrganizationID, f.OccurredMs, f.Type, f.Amount, f.Qty, f.Cost}
	}
	set, err := jsonSetText(rows)
	if err != nil {
		return err
	}
	added, err := list(ctx, t, `INSERT INTO sales_facts (tenant_id, event_id, organization_id, occurred_ms, type, amount, qty, cost)
		SELECT $1, r.value->>0, r.value->>1, (r.value->>2)::bigint, r.value->>3, (r.value->>4)::bigint, (r.value->>5)::bigint, (r.value->>6)::bigint
		FROM jsonb_array_elements($2::jsonb) AS r(value) ON CONFLICT DO NOTHING RETURNING event_id`, scanString, facts[0].TenantID, set)
	if err != nil || len(added) == 0 {
		return err
	}
	isNew := make(map[string]bool, len(added))
	for _, id := range added {
		isNew[id] = true
	}
	fresh := slices.DeleteFunc(slices.Clone(facts), func(f analytics.Fact) bool { return !isNew[f.EventID] })
	return t.appendPacked(ctx, fresh)
}

// EventsWithoutFacts reads purchases and returns that have no sales fact.
func (t *Tx) EventsWithoutFacts(ctx context.Context, tenantID, after string, limit int) ([]events.Record, error) {
	return list(ctx, t, `SELECT `+eventCols+` FROM events e WHERE e.tenant_id = $1 AND e.id > $2
		AND e.type IN ('invoice', 'order', 'claim', 'return')
		AND NOT EXISTS (SELECT 1 FROM sales_facts f WHERE f.tenant_id = e.tenant_id AND f.event_id = e.id)
		ORDER BY e.id LIMIT $3`, scanEvent, tenantID, after, limit)
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
	var org, typ sql.RawBytes // converted only when they change: millions of rows
	for rows.Next() {
		if err := rows.Scan(&org, &f.OccurredMs, &typ, &f.Amount, &f.Cost); err != nil {
			return err
		}
		if string(org) != f.OrganizationID {
			f.OrganizationID = string(org)
		}
		f.Type = analytics.FactPurchase
		if string(typ) == analytics.FactReturn {
			f.Type = analytics.FactReturn
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// OrgTotals sums each organization's purchases and returns in a range;
// the covering index serves it without reading the table. The sums are
// read in halves (splitSum): a total beyond int64 is money.ErrOverflow.
func (t *Tx) OrgTotals(ctx context.Context, tenantID string, fromMs, toMs int64) ([]analytics.OrgTotal, error) {
	return list(ctx, t, `SELECT organization_id, COALESCE(SUM(CASE WHEN type = 'purchase' THEN 1 ELSE 0 END), 0), `+
		splitSum("CASE WHEN type = 'purchase' THEN amount ELSE 0 END")+`, `+
		splitSum("CASE WHEN type = 'return' THEN amount ELSE 0 END")+`, `+
		splitSum("CASE WHEN type = 'purchase' THEN cost ELSE -cost END")+`
		FROM sales_facts WHERE tenant_id = $1 AND occurred_ms >= $2 AND occurred_ms < $3
		GROUP BY organization_id`, func(r rowScanner) (analytics.OrgTotal, error) {
		var o analytics.OrgTotal
		return o, scanSums(r, []any{&o.OrganizationID, &o.Orders}, &o.Purchases, &o.Returns, &o.Cost)
	}, tenantID, fromMs, toMs)
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

// Enrolments reads when each organization enrolled in the program (in
// every program when programID is ""), from the column written with the
// state.
func (t *Tx) Enrolments(ctx context.Context, tenantID, programID string) ([]analytics.Enrolment, error) {
	return t.enrolments(ctx, `enrolled_ms`, tenantID, programID, func(r rowScanner) (analytics.Enrolment, error) {
		var e analytics.Enrolment
		var at sql.NullInt64
		if err := r.Scan(&e.OrganizationID, &at); err != nil || !at.Valid {
			return e, err
		}
		e.At = clock.FromMillis(at.Int64)
		return e, nil
	})
}

// StateEnrolments is Enrolments from the states' JSON: the reference the
// column is checked against.
func (t *Tx) StateEnrolments(ctx context.Context, tenantID, programID string) ([]analytics.Enrolment, error) {
	at := `COALESCE(json_extract(state, '$.enrolled_at'), '')`
	if t.d.engine() == Postgres {
		at = `COALESCE(state::jsonb->>'enrolled_at', '')`
	}
	return t.enrolments(ctx, at, tenantID, programID, func(r rowScanner) (analytics.Enrolment, error) {
		var e analytics.Enrolment
		var at string
		if err := r.Scan(&e.OrganizationID, &at); err != nil || at == "" {
			return e, err
		}
		var err error
		e.At, err = time.Parse(time.RFC3339Nano, at)
		return e, err
	})
}

// enrolments reads each organization's id and column at (an expression)
// from its state in the program (in every program when programID is "").
func (t *Tx) enrolments(ctx context.Context, at, tenantID, programID string, scan func(rowScanner) (analytics.Enrolment, error)) ([]analytics.Enrolment, error) {
	query := `SELECT owner_id, ` + at + ` FROM program_states WHERE tenant_id = $1 AND owner_type = 'organization'`
	args := []any{tenantID}
	if programID != "" {
		query, args = query+` AND program_id = $2`, append(args, programID)
	}
	return list(ctx, t, query, scan, args...)
}

// ScanOrgStatuses streams every organization's id, status and creation
// time (what participation needs, without the rest of the row).
func (t *Tx) ScanOrgStatuses(ctx context.Context, tenantID string, fn func(analytics.OrgStatus) error) error {
	rows, err := t.query(ctx, `SELECT id, status, created_ms FROM organizations WHERE tenant_id = $1`, tenantID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o analytics.OrgStatus
		var created int64
		if err := rows.Scan(&o.ID, &o.Status, &created); err != nil {
			return err
		}
		o.CreatedAt = clock.FromMillis(created)
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
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

// PointTypesOf reads a program's point types, or every one of the tenant.
func (t *Tx) PointTypesOf(ctx context.Context, tenantID, programID string) ([]ledger.PointType, error) {
	if programID != "" {
		return t.ListPointTypes(ctx, tenantID, programID)
	}
	return list(ctx, t, `SELECT `+pointTypeCols+` FROM point_types WHERE tenant_id = $1 ORDER BY program_id, code`, scanPointType, tenantID)
}

// SystemSums adds up postings of system accounts: those of transactions
// effective in [fromMs, toMs), and all before toMs. The sums are read in
// halves (splitSum): a total beyond int64 is money.ErrOverflow.
func (t *Tx) SystemSums(ctx context.Context, tenantID string, accounts []string, fromMs, toMs int64) ([]analytics.SystemSum, error) {
	return list(ctx, t, `SELECT p.account_id, `+splitSum("CASE WHEN x.effective_ms >= $2 THEN p.amount ELSE 0 END")+`, `+splitSum("p.amount")+`
		FROM ledger_postings p JOIN ledger_txs x ON x.tenant_id = p.tenant_id AND x.id = p.tx_id
		WHERE p.tenant_id = $1 AND x.effective_ms < $3 AND p.account_id IN (`+inList(len(accounts), 4)+`)
		GROUP BY p.account_id`, func(r rowScanner) (analytics.SystemSum, error) {
		var s analytics.SystemSum
		return s, scanSums(r, []any{&s.AccountID}, &s.InRange, &s.BeforeTo)
	}, append([]any{tenantID, fromMs, toMs}, anys(accounts)...)...)
}
