package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/privacy"
)

// Records and Run give the store's own tests what DB.Rows and DB.Exec
// give others, inside one transaction (on one connection): what the
// transaction did so far is visible to them, as in PostgreSQL's
// per-transaction statistics.
func (t *Tx) Records(ctx context.Context, query string, args ...any) ([]privacy.Record, error) {
	return t.records(ctx, query, args...)
}

func (t *Tx) Run(ctx context.Context, query string, args ...any) error {
	_, err := t.exec(ctx, query, args...)
	return err
}

// Later is Tx.later: a write held on PostgreSQL until the next statement.
func (t *Tx) Later(ctx context.Context, query string, args ...any) error {
	return t.later(ctx, nil, query, args...)
}

// RowAfterHeld is Tx.rowAfterHeld: a one-row query sent with the held
// writes on PostgreSQL.
func (t *Tx) RowAfterHeld(ctx context.Context, query string, args ...any) interface{ Scan(...any) error } {
	return t.rowAfterHeld(ctx, query, args...)
}

// PostgreSQL's set statements, for the test of their plans.
var (
	EventsByKey       = eventsByKey
	StatesByKey       = statesByKey
	LockedStatesByKey = lockedStatesByKey
	SetAccounts       = setAccounts
)

// KeyedOnPostgres is Tx.keyed's statement on PostgreSQL (the set is $2).
func KeyedOnPostgres(table, cols, key string, lock bool) string {
	return (&Tx{d: postgresDialect{}}).keyed(table, cols, key, 2, lock)
}

// InSetOnPostgres is Tx.inSet's condition on PostgreSQL.
func InSetOnPostgres(n int) string { return (&Tx{d: postgresDialect{}}).inSet(n) }
