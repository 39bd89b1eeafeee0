package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// groupWriter is the single writer of a SQLite database. SQLite allows one
// writer at a time and a durable commit costs an fsync, so committing each
// write alone caps throughput at the disk's fsync rate. Instead, writes that
// arrive while a commit is in progress wait, and the next transaction runs
// all of them, each inside its own savepoint, and commits them with one
// fsync. Every caller still gets its own result: a write that fails is
// rolled back to its savepoint and the others in the batch commit.
type groupWriter struct {
	conn     *sql.Conn // the one connection that writes; BEGIN/COMMIT are issued on it directly
	stmts    *stmtCache
	d        dialect
	queue    chan *writeReq // unbuffered: a send succeeds only when the loop takes it
	maxBatch int
	onBatch  func(int)
	log      *slog.Logger

	closing   chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

type writeReq struct {
	ctx    context.Context
	fn     func(tx *Tx) error
	result chan error
	// rollback undoes fn's writes even when it succeeds (a dry run): it
	// runs in its own savepoint, rolled back before the batch commits.
	rollback bool
}

// errClosed is returned to writes submitted after Close.
var errClosed = errs.E(errs.Unavailable, "shutting_down", "the server is shutting down; retry on another instance or later")

func newGroupWriter(conn *sql.Conn, d dialect, maxBatch int, onBatch func(int), log *slog.Logger) *groupWriter {
	w := &groupWriter{
		conn: conn, stmts: newStmtCache(conn), d: d,
		queue: make(chan *writeReq), maxBatch: maxBatch, onBatch: onBatch, log: log,
		closing: make(chan struct{}), done: make(chan struct{}),
	}
	go w.loop()
	return w
}

// do queues fn and waits for its result. Once fn has started it runs to
// completion and its commit is awaited even if ctx is cancelled meanwhile:
// an interrupted statement would roll back the whole batch, everyone's.
func (w *groupWriter) do(ctx context.Context, fn func(tx *Tx) error, rollback bool) error {
	req := &writeReq{ctx: ctx, fn: fn, result: make(chan error, 1), rollback: rollback}
	select {
	case w.queue <- req:
		return <-req.result
	case <-ctx.Done():
		return ctx.Err()
	case <-w.closing:
		return errClosed
	}
}

func (w *groupWriter) close() error {
	w.closeOnce.Do(func() { close(w.closing) })
	<-w.done
	w.stmts.close()
	return w.conn.Close()
}

func (w *groupWriter) loop() {
	defer close(w.done)
	batch := make([]*writeReq, 0, w.maxBatch)
	for {
		select {
		case first := <-w.queue:
			batch = append(batch[:0], first)
		case <-w.closing:
			return
		}
	drain:
		for len(batch) < w.maxBatch {
			select {
			case r := <-w.queue:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		w.commit(batch)
		clear(batch) // drop references to finished requests
	}
}

// commit runs one batch in one transaction and answers every caller.
func (w *groupWriter) commit(batch []*writeReq) {
	results := make([]error, len(batch))
	defer func() {
		for i, r := range batch {
			r.result <- results[i]
		}
	}()
	ctx := context.Background()
	if _, err := w.run(ctx, "BEGIN IMMEDIATE"); err != nil {
		fill(results, fmt.Errorf("begin write transaction: %w", err))
		return
	}
	tx := &Tx{d: w.d, stmts: w.stmts, detach: true}
	tx.q = aheadConn{w.conn, tx}
	alone := len(batch) == 1
	anyOK := false
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		err, broken := w.runOne(ctx, tx, r, alone)
		if broken != nil {
			w.abort(ctx, results, broken)
			return
		}
		results[i] = err
		anyOK = anyOK || err == nil && !r.rollback
	}
	end := "COMMIT"
	if !anyOK {
		end = "ROLLBACK"
	}
	if _, err := w.run(ctx, end); err != nil {
		w.abort(ctx, results, fmt.Errorf("%s: %w", end, err))
		return
	}
	if w.onBatch != nil {
		w.onBatch(len(batch))
	}
}

// runOne runs one caller's fn inside a savepoint (none when it is alone in
// the batch and kept: then a failure rolls back the whole transaction). A
// request to roll back always gets its savepoint, undone whatever fn
// returned. It returns the caller's error, and a second error when the
// transaction itself can no longer be trusted.
func (w *groupWriter) runOne(ctx context.Context, tx *Tx, r *writeReq, alone bool) (err, broken error) {
	saved := !alone || r.rollback
	if saved {
		if _, e := w.run(ctx, "SAVEPOINT w"); e != nil {
			return nil, fmt.Errorf("savepoint: %w", e)
		}
	}
	tx.ahead = &sqliteAhead{}
	err = call(r.fn, tx, w.log)
	if e := tx.settle(ctx); e != nil && err == nil {
		err = e // a held statement failed: the write fails with it
	}
	tx.ahead = nil
	if !saved {
		return err, nil
	}
	if err != nil || r.rollback {
		if _, e := w.run(ctx, "ROLLBACK TO w"); e != nil {
			return nil, fmt.Errorf("rollback to savepoint: %w", e)
		}
	}
	if _, e := w.run(ctx, "RELEASE w"); e != nil {
		return nil, fmt.Errorf("release savepoint: %w", e)
	}
	return err, nil
}

// run executes a transaction-control statement, prepared once: the writer
// issues several per write, and parsing them each time shows in profiles.
func (w *groupWriter) run(ctx context.Context, stmt string) (sql.Result, error) {
	s, err := w.stmts.get(ctx, stmt)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx)
}

// abort rolls back a transaction that failed as a whole; every caller whose
// write had succeeded gets the cause, since nothing was committed.
func (w *groupWriter) abort(ctx context.Context, results []error, cause error) {
	w.log.Error("write batch aborted", "err", cause, "size", len(results))
	_, _ = w.conn.ExecContext(ctx, "ROLLBACK")
	for i := range results {
		if results[i] == nil {
			results[i] = errs.E(errs.Unavailable, "write_failed", "the write could not be committed; retry").Wrap(cause)
		}
	}
}

// call runs fn, turning a panic into an error so that one bad write cannot
// take the writer (and everyone else's writes) down. What fn held of its
// ledger aggregates ends with it (a write of SQLite's group shares its Tx
// with the next); held and never written, they fail the write.
func call(fn func(*Tx) error, tx *Tx, log *slog.Logger) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("panic in write", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic in write: %v", p)
		}
		if tx.held && err == nil {
			err = errors.New("store: ledger aggregates were held and never written")
		}
		tx.held, tx.aggregates = false, nil
	}()
	return fn(tx)
}

func fill(results []error, err error) {
	for i := range results {
		if results[i] == nil {
			results[i] = err
		}
	}
}
