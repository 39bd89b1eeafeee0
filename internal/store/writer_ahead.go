package store

import (
	"context"
	"database/sql"
)

// SQLite's writer runs a write's statements one after the other on its
// goroutine: a batch of a thousand events computes an event, then waits
// for SQLite to write its row, then computes the next, and the second
// core stays idle. Writes whose only outcome is an error (Tx.later) are
// therefore held here too, as on PostgreSQL (pipeline.go), and once
// aheadAfterSQLite are held a goroutine runs them on the writer's
// connection while the write goes on. Whatever uses the connection next
// — any statement of the write, or its end — first waits for them and
// runs what is still held, so it sees them and nothing runs at once on
// the connection. A held statement's failure fails the write, with the
// caller's explanation, at that point: the same as on PostgreSQL.

// aheadAfterSQLite is how many held statements are run ahead.
const aheadAfterSQLite = 64

// sqliteAhead is what one write holds on the SQLite writer.
type sqliteAhead struct {
	held []heldStmt
	ahead
}

// hold holds a statement of t's write, and runs what is held ahead once
// there are enough.
func (t *Tx) hold(ctx context.Context, explain func(error) error, query string, args []any) {
	a := t.ahead
	a.held = append(a.held, heldStmt{query, args, explain})
	if len(a.held) < aheadAfterSQLite || a.wait() != nil {
		return
	}
	held := a.held
	a.held = nil
	a.start(func() error { return t.runHeld(ctx, held) })
}

// runHeld runs held statements in order until one fails.
func (t *Tx) runHeld(ctx context.Context, held []heldStmt) error {
	ctx = t.ctx(ctx)
	for _, h := range held {
		s, err := t.stmts.get(ctx, h.query)
		if err == nil {
			_, err = s.ExecContext(ctx, h.args...)
		}
		if err != nil {
			return h.failed(err)
		}
	}
	return nil
}

// settle runs what t's write holds before the connection's next use,
// and returns the first failure among held statements.
func (t *Tx) settle(ctx context.Context) error {
	a := t.ahead
	if a == nil {
		return nil
	}
	if a.wait() != nil {
		return a.err
	}
	if held := a.held; len(held) > 0 {
		a.held = nil
		a.err = t.runHeld(ctx, held)
	}
	return a.err
}

// aheadConn is the SQLite writer's connection as its Tx sees it: every
// statement settles what is held first.
type aheadConn struct {
	conn *sql.Conn
	t    *Tx
}

func (c aheadConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := c.t.settle(ctx); err != nil {
		return nil, err
	}
	return c.conn.ExecContext(ctx, query, args...)
}

func (c aheadConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := c.t.settle(ctx); err != nil {
		return nil, err
	}
	return c.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext settles first; if that failed, the write fails with
// it whatever the query finds (its end settles again).
func (c aheadConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	_ = c.t.settle(ctx)
	return c.conn.QueryRowContext(ctx, query, args...)
}
