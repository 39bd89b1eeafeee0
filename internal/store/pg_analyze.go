package store

import (
	"context"
	"database/sql"
	"time"
)

// PostgreSQL plans a prepared statement once for all after five runs (a
// generic plan) and keeps that plan until the table's statistics change.
// On a table that has none yet (a new database, the first minute of an
// import), a lookup by key costs the same to the planner through any index
// that leads with tenant_id, and it may keep one that reads every row of
// the tenant: on 2026-12-06 each earn's idempotency lookup went through
// ledger_txs_time and took 7.5 ms at 20,000 transactions. Autovacuum
// gathers statistics within a minute or so; this gathers them within
// seconds, once per table, as soon as it holds rows (ANALYZE then makes
// every session plan its statements again). Planning every run instead
// (plan_cache_mode=force_custom_plan) avoided the trap at a cost of a
// fifth of the batch and import throughput.

// youngTablesEvery is how often tables never analyzed are looked for.
const youngTablesEvery = 3 * time.Second

// youngRows is how many rows a table needs before it is analyzed.
const youngRows = 50

// analyzeYoung analyzes the schema's tables that were never analyzed and
// hold at least youngRows rows.
func analyzeYoung(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT quote_ident(relname) FROM pg_stat_user_tables
		WHERE schemaname = current_schema() AND last_analyze IS NULL AND last_autoanalyze IS NULL
		AND n_live_tup + n_mod_since_analyze >= $1`, youngRows)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, "ANALYZE "+t); err != nil {
			return err
		}
	}
	return nil
}
