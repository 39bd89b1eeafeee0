package store

import "context"

// PostgreSQL plans a prepared statement for the values it is given
// (a custom plan) as long as that looks cheaper than a plan for any
// values (the generic plan). For a look-up by primary key, the custom plan
// is a trap when the statistics do not know the tenant: a tenant created,
// or grown, since the table was last analyzed looks like a single row,
// and any index that leads with tenant_id then finds "it" as cheaply as
// the key. On ledger_txs the index by (tenant_id, effective_ms) is the
// smaller and follows the table's order, so it won: each earn's
// idempotency check read all of the tenant's transactions through it
// (25 ms at 20,000 and growing with the tenant, on 2026-12-07), until the
// next ANALYZE, which on a large table comes only after a tenth of it has
// changed. The generic plan estimates a tenant's rows from the number of
// tenants, so the key narrows the search and the primary key is taken.

// genericPlans runs fn, whose statements look rows up by key, with
// PostgreSQL's generic plans. The setting is held (on a write it goes
// with fn's first statement) and lasts until the transaction ends: the
// transactions that look rows up this way (an ingestion's, a ledger
// write's, their reads beforehand) do nothing else that needs a plan for
// its values, which reports (a tenant's size, a time window) do, and they
// never look rows up this way. Once per transaction, so that a batch's
// many look-ups cost one statement more, not two each. SQLite keeps no
// statistics of its own: fn just runs.
func (t *Tx) genericPlans(ctx context.Context, fn func() error) error {
	if t.d.engine() == Postgres && !t.generic {
		if err := t.later(ctx, nil, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
			return err
		}
		t.generic = true
	}
	return fn()
}

// probed is list for a statement that looks rows up by their keys, run
// with the generic plan.
func probed[T any](ctx context.Context, t *Tx, query string, scan func(rowScanner) (T, error), args ...any) (out []T, err error) {
	err = t.genericPlans(ctx, func() (err error) {
		out, err = list(ctx, t, query, scan, args...)
		return err
	})
	return out, err
}
