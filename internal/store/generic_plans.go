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
// PostgreSQL's generic plans; the setting is held, so on a write it goes
// with fn's first statement, and it ends when fn has sent its statements.
// SQLite keeps no statistics of its own: fn just runs.
func (t *Tx) genericPlans(ctx context.Context, fn func() error) error {
	if t.d.engine() != Postgres {
		return fn()
	}
	if err := t.later(ctx, nil, "SET LOCAL plan_cache_mode = force_generic_plan"); err != nil {
		return err
	}
	err := fn()
	if e := t.later(ctx, nil, "SET LOCAL plan_cache_mode = auto"); err == nil {
		err = e
	}
	return err
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
