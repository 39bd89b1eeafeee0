// Package store holds the SQL implementation of every domain Store, the
// migrations, and the seam between the two engines: embedded SQLite (the
// default) and PostgreSQL. All SQL in this package is portable and runs
// unchanged on both; the little that cannot be lives in sqlite.go and
// postgres.go.
//
// Writes go through DB.Write. On SQLite a single writer connection runs them
// with group commit (see writer.go); on PostgreSQL each gets a pooled
// transaction and is retried on serialization failures and deadlocks.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Options configure Open.
type Options struct {
	// DSN is a postgres:// URL, or a path to the SQLite file (a "sqlite:"
	// prefix is allowed).
	DSN string
	// ReadConns bounds the read pool (SQLite) or the whole pool (PostgreSQL).
	ReadConns int
	// MaxBatch bounds how many writes one SQLite group commit may hold.
	MaxBatch int
	Logger   *slog.Logger
	// OnBatch, when set, is told the size of each committed SQLite batch.
	OnBatch func(size int)
	// AnalyzeEvery is how often PostgreSQL tables never analyzed are looked
	// for (pg_analyze.go); 0: every few seconds.
	AnalyzeEvery time.Duration
	// CheckpointEvery is how often SQLite's log is copied into the
	// database file (sqlite_checkpoint.go); 0: every second.
	CheckpointEvery time.Duration
}

// DB is an open database of either engine.
type DB struct {
	engine Engine
	d      dialect
	read   *sql.DB
	write  *sql.DB       // PostgreSQL: the same pool as read
	writer *groupWriter  // SQLite only
	ckpt   *checkpointer // SQLite only
	young  *background   // PostgreSQL only: analyzes new tables (pg_analyze.go)
	rstmts *stmtCache    // SQLite read statements
	log    *slog.Logger
	// closePool closes the PostgreSQL connection pool (nil on SQLite).
	closePool func()
}

// EngineOf tells which engine a DSN selects.
func EngineOf(dsn string) Engine {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// Open connects to the database named by opts.DSN. It does not migrate; call
// Migrate for that.
func Open(ctx context.Context, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = 8
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 512
	}
	var db *DB
	var err error
	if EngineOf(opts.DSN) == Postgres {
		db, err = openPostgres(ctx, opts)
	} else {
		db, err = openSQLite(ctx, opts)
	}
	if err != nil {
		return nil, err
	}
	db.log = opts.Logger
	return db, nil
}

// Engine reports which engine db runs on.
func (db *DB) Engine() Engine { return db.engine }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// Close waits for queued writes to finish, stops the background work and
// closes all connections.
func (db *DB) Close() error {
	var errs []error
	if db.young != nil {
		db.young.close()
	}
	if db.writer != nil {
		errs = append(errs, db.writer.close())
	}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.close())
	}
	if db.rstmts != nil {
		db.rstmts.close()
	}
	errs = append(errs, db.read.Close())
	if db.write != db.read {
		errs = append(errs, db.write.Close())
	}
	if db.closePool != nil {
		db.closePool()
	}
	return errors.Join(errs...)
}

// Write runs fn in a write transaction. If fn returns an error, nothing it
// did is kept and the error is returned; otherwise its writes are durably
// committed before Write returns. fn may be run more than once (PostgreSQL
// retries transient failures), so it must not have effects outside tx.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) (err error) {
	ctx, span := tracing.Start(ctx, "db.write")
	defer func() { tracing.Fail(span, err); span.End() }()
	if db.writer != nil {
		return db.badText(db.writer.do(ctx, fn, false))
	}
	return db.badText(db.pgWrite(ctx, fn, false))
}

// Rehearse runs fn in a write transaction that is always rolled back: fn
// sees its own writes (and takes the same locks) as in Write, and nothing
// of it stays. It is how a dry run evaluates exactly what the real run
// would, without a flag in every write path. On SQLite it is a savepoint
// of the writer's group transaction, undone before the group commits.
func (db *DB) Rehearse(ctx context.Context, fn func(tx *Tx) error) (err error) {
	ctx, span := tracing.Start(ctx, "db.rehearse")
	defer func() { tracing.Fail(span, err); span.End() }()
	if db.writer != nil {
		return db.badText(db.writer.do(ctx, fn, true))
	}
	return db.badText(db.pgWrite(ctx, fn, true))
}

// Read runs fn with read access outside any write transaction. On
// PostgreSQL fn runs in one read-only transaction, so its queries see one
// snapshot and any write fails; on SQLite the read connections are
// query_only, and each query sees what was committed when it started.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) (err error) {
	_, span := tracing.Start(ctx, "db.read")
	defer func() { tracing.Fail(span, err); span.End() }()
	if db.writer == nil {
		return db.badText(db.pgRead(ctx, fn))
	}
	return db.badText(fn(&Tx{q: db.read, d: db.d, stmts: db.rstmts, readOnly: true}))
}

var errBadText = errs.E(errs.Invalid, "invalid_characters", "the input holds a NUL character or bytes that are not UTF-8 text; remove them")

// badText makes text the engine cannot store (a NUL reaching PostgreSQL
// by a path that did not refuse it first) the caller's error, never an
// internal one.
func (db *DB) badText(err error) error {
	if err != nil && db.d.isBadText(err) && errs.KindOf(err) == errs.Internal {
		return errBadText.Wrap(err)
	}
	return err
}

// querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is the handle store methods run their SQL through: a transaction inside
// Write, the read pool inside Read.
type Tx struct {
	q     querier
	d     dialect
	stmts *stmtCache // prepared statements of the connection, if cached
	// detach makes statements ignore the caller's cancellation: inside a
	// group commit an interrupted statement would roll back the whole batch.
	detach bool
	// readOnly marks a Read: it takes no row locks (a read-only PostgreSQL
	// transaction refuses them, and a lock no write follows guards nothing).
	readOnly bool
	// ahead holds the write's later statements on SQLite's writer
	// (writer_ahead.go); nil elsewhere.
	ahead *sqliteAhead
	// aggregates holds the transactions whose ledger aggregates are
	// written at the end, while held is set (HoldAggregates).
	aggregates []ledger.Transaction
	held       bool
	// generic is set once PostgreSQL plans the transaction's statements
	// generically (generic_plans.go).
	generic bool
}

func (t *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ctx = t.ctx(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil || s == nil {
		if err != nil {
			return nil, err
		}
		return t.q.ExecContext(ctx, query, args...)
	}
	return s.ExecContext(ctx, args...)
}

func (t *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx = t.ctx(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil || s == nil {
		if err != nil {
			return nil, err
		}
		return t.q.QueryContext(ctx, query, args...)
	}
	return s.QueryContext(ctx, args...)
}

// queryRow runs a query expected to return at most one row; scan it with
// the returned row's Scan, which reports sql.ErrNoRows for none.
func (t *Tx) queryRow(ctx context.Context, query string, args ...any) rowScanner {
	ctx = t.ctx(ctx)
	s, err := t.stmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	if s == nil {
		return t.q.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

func (t *Tx) ctx(ctx context.Context) context.Context {
	if t.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// rowScanner is a single-row result.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// stmt returns a cached prepared statement for query, or nil when the
// connection does not cache statements.
func (t *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if err := t.settle(ctx); err != nil {
		return nil, err
	}
	if t.stmts == nil {
		return nil, nil
	}
	return t.stmts.get(ctx, query)
}

// forUpdate is the row-lock suffix of a SELECT that a write depends on;
// empty inside Read, which locks nothing.
func (t *Tx) forUpdate() string {
	if t.readOnly {
		return ""
	}
	return t.d.forUpdate()
}

// skipLocked follows forUpdate in a job's SELECT, so that replicas running
// the job at once take different rows instead of waiting.
func (t *Tx) skipLocked() string {
	if t.readOnly {
		return ""
	}
	return t.d.skipLocked()
}

// Engine reports the engine the Tx runs on.
func (t *Tx) Engine() Engine { return t.d.engine() }

// dialect is what differs between the engines.
type dialect interface {
	engine() Engine
	forUpdate() string
	skipLocked() string
	isUnique(err error) bool
	isForeignKey(err error) bool
	isTransient(err error) bool
	// isBadText reports text the engine cannot store (PostgreSQL: NUL).
	isBadText(err error) bool
	// migrationLock is a statement that serializes migrations across
	// processes, or "" when the engine already does.
	migrationLock() string
}

func (t *Tx) lockMigrations(ctx context.Context) error {
	if q := t.d.migrationLock(); q != "" {
		_, err := t.q.ExecContext(ctx, q)
		return err
	}
	return nil
}

func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// Exec runs one statement outside any domain service. It is for tests and
// maintenance tools (e.g. a test that corrupts a balance to prove the
// ledger check finds it); application code goes through services.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.q.ExecContext(tx.ctx(ctx), query, args...)
		return err
	})
}

// Rows reads rows as column → value outside any domain service, for
// tests and maintenance tools as Exec (e.g. a test searching whole tables
// for a value that must be gone).
func (db *DB) Rows(ctx context.Context, query string, args ...any) (out []map[string]any, err error) {
	err = db.Read(ctx, func(tx *Tx) error {
		out, err = tx.records(ctx, query, args...)
		return err
	})
	return out, err
}
