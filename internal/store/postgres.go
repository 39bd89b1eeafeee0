package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

func openPostgres(ctx context.Context, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(opts.DSN)
	if err != nil {
		// The parse error may quote the DSN, password included.
		return nil, errors.New("postgres: the database URL is not a valid PostgreSQL connection string")
	}
	cfg.MaxConns = int32(max(opts.ReadConns, 4))
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot connect to %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	young := startBackground(cmp.Or(opts.AnalyzeEvery, youngTablesEvery), opts.Logger, "analyze new tables",
		func(ctx context.Context) error { return analyzeYoung(ctx, sdb) })
	// Closing the *sql.DB leaves the pool open, so Close closes both.
	return &DB{engine: Postgres, d: postgresDialect{}, read: sdb, write: sdb, young: young, closePool: pool.Close}, nil
}

// pgWrite runs fn in a transaction and retries it when PostgreSQL reports a
// serialization failure or a deadlock, which are expected under concurrent
// writes to the same rows and succeed on a retry.
// With rollback set, a successful fn is rolled back all the same (a dry
// run).
func (db *DB) pgWrite(ctx context.Context, fn func(tx *Tx) error, rollback bool) error {
	const attempts = 8
	var err error
	for attempt := range attempts {
		if attempt > 0 {
			backoff := time.Duration(1<<min(attempt, 6)) * time.Millisecond
			jitter := time.Duration(rand.Int64N(int64(backoff)))
			select {
			case <-time.After(backoff + jitter):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err = db.pgWriteOnce(ctx, fn, rollback)
		if err == nil || !db.d.isTransient(err) {
			return err
		}
	}
	return fmt.Errorf("write failed after %d attempts: %w", attempts, err)
}

func (db *DB) pgWriteOnce(ctx context.Context, fn func(tx *Tx) error, rollback bool) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	p := &pipeTx{conn: conn} // begins and commits the transaction (pipeline_tx.go)
	err = call(fn, &Tx{q: p, d: db.d}, db.log)
	switch {
	case err == nil && !rollback:
		if err = p.commit(ctx); err == nil {
			return nil
		}
	case err == nil:
		err = p.flush(ctx) // a dry run's held statements run all the same: their failures are its outcome
	}
	p.rollback(ctx)
	if p.err != nil {
		return p.err // the cause of whatever failed after it
	}
	return err
}

// pgRead runs fn in a read-only repeatable-read transaction: one snapshot
// for all its queries, and a write by mistake fails instead of landing.
// Such a transaction never fails to serialize, so it is not retried.
func (db *DB) pgRead(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer func() { _ = sqlTx.Rollback() }() // nothing to keep; after Commit a no-op
	if err := call(fn, &Tx{q: sqlTx, d: db.d, readOnly: true}, db.log); err != nil {
		return err
	}
	return sqlTx.Commit()
}

type postgresDialect struct{}

func (postgresDialect) engine() Engine { return Postgres }

func (postgresDialect) skipLocked() string { return " SKIP LOCKED" }

func (postgresDialect) forUpdate() string { return " FOR UPDATE" }

func pgCode(err error) string { return pgError(err).Code }

// pgDetail is the detail of PostgreSQL's error (a violated key's values).
func pgDetail(err error) string { return pgError(err).Detail }

// pgError is err's PostgreSQL error, empty if it has none.
func pgError(err error) pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return *pe
	}
	return pgconn.PgError{}
}

func (postgresDialect) isUnique(err error) bool { return pgCode(err) == "23505" }

func (postgresDialect) isForeignKey(err error) bool { return pgCode(err) == "23503" }

// isTransient: serialization_failure, deadlock_detected.
func (postgresDialect) isTransient(err error) bool {
	c := pgCode(err)
	return c == "40001" || c == "40P01"
}

// isBadText: character_not_in_repertoire (a NUL, or bytes that are not
// UTF-8, in a text parameter), untranslatable_character.
func (postgresDialect) isBadText(err error) bool {
	c := pgCode(err)
	return c == "22021" || c == "22P05"
}

// migrationLock holds a transaction-scoped advisory lock (an arbitrary
// constant key) so that replicas starting together migrate one at a time.
func (postgresDialect) migrationLock() string { return "SELECT pg_advisory_xact_lock(7305100)" }
