package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A PostgreSQL write sends each statement and waits for its answer: an
// earn's postings, lot, transaction and two aggregates were five round
// trips, each costing both processes more than the insert itself. Writes
// whose only outcome is an error (nothing is read back) are instead held
// by the transaction (Tx.later) and sent together with the next statement
// that needs an answer, or before the commit, as one pgx pipeline. What
// the transaction reads afterwards sees them, since nothing is read
// before they are sent. On SQLite, in-process, there is no round trip to
// save, but the writer's second core to use (writer_ahead.go).
//
// A long write (a batch of a thousand events) holds many statements and
// needs no answer until its end; sent all at once there, they would keep
// PostgreSQL idle while Go works out the events and Go idle while
// PostgreSQL runs them. So once aheadAfter statements are held they are
// sent without waiting (sendAhead), and their answers are read before the
// next use of the connection: the database works on one part of the batch
// while the next is worked out.

// aheadAfter is how many held statements are sent without waiting.
const aheadAfter = 256

// pipeTx is a PostgreSQL transaction that holds back writes. Every
// statement goes through it (it is the Tx's querier), so none can
// overtake what is held.
type pipeTx struct {
	conn *sql.Conn // the transaction's connection
	// open is whether BEGIN was sent: it goes with the first statement
	// (pipeline_tx.go).
	open   bool
	held   []heldStmt
	tables []*heldTable // rows held for COPY (copy.go)
	// ahead is what was sent ahead (the connection serves nothing else
	// until its answers are read: wait), and err the first failure of
	// held statements. That is the cause of whatever failed after it
	// (PostgreSQL refuses every statement of a failed transaction), so
	// the write reports it, and a deadlock among the held statements is
	// retried like any other.
	ahead
}

type heldStmt struct {
	query string
	args  []any
	// explain turns the statement's failure into what the caller is to
	// be told (a unique violation into a conflict, say); nil: keep it.
	explain func(error) error
}

// later runs a write whose result is only an error: held until the next
// statement (on SQLite's writer, run ahead once enough are held;
// writer_ahead.go), at once elsewhere. Its error, turned into the caller's
// by explain (when not nil), may then surface at a later statement or at
// commit, failing the whole transaction.
func (t *Tx) later(ctx context.Context, explain func(error) error, query string, args ...any) error {
	if p, ok := t.q.(*pipeTx); ok {
		p.held = append(p.held, heldStmt{query, args, explain})
		p.sendAhead(ctx)
		return nil
	}
	if t.ahead != nil { // SQLite's writer (writer_ahead.go)
		t.hold(ctx, explain, query, args)
		return nil
	}
	_, err := t.exec(ctx, query, args...)
	if err != nil && explain != nil {
		err = explain(err)
	}
	return err
}

// holding is how many statements and rows are held.
func (p *pipeTx) holding() int {
	n := len(p.held)
	for _, h := range p.tables {
		n += len(h.rows)
	}
	return n
}

// sendAhead sends what is held, once aheadAfter statements and rows are,
// without waiting for the answers, which a goroutine reads; a failure
// among them is found by wait, as p.err.
func (p *pipeTx) sendAhead(ctx context.Context) {
	if p.holding() < aheadAfter || p.wait() != nil {
		return
	}
	begin := p.begins()
	tables, held := p.take()
	conn := p.pgx()
	p.start(func() error {
		_, err := exchange(ctx, conn, begin, tables, held, nil, "", nil)
		return err
	})
}

// take hands over what is held: the tables whose rows go as a COPY, and
// the statements, led by the rows of tables too few for a COPY.
func (p *pipeTx) take() ([]*heldTable, []heldStmt) {
	tables, held := p.tables, p.held
	p.tables, p.held = nil, nil
	var copies []*heldTable
	var stmts []heldStmt
	for _, h := range tables {
		if len(h.rows) >= copyMin {
			copies = append(copies, h)
		} else {
			stmts = append(stmts, h.statements()...)
		}
	}
	return copies, append(stmts, held...)
}

// pgx is the transaction's pgx connection. Only one goroutine uses it at
// a time: whatever uses the connection first waits for what was sent
// ahead.
func (p *pipeTx) pgx() (c *pgx.Conn) {
	_ = p.conn.Raw(func(dc any) error {
		c = dc.(*stdlib.Conn).Conn()
		return nil
	})
	return c
}

func (p *pipeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.wait(); err != nil {
		return nil, err
	}
	if p.holding() == 0 && p.open {
		return p.conn.ExecContext(ctx, query, args...)
	}
	var affected int64
	err := p.send(ctx, func(res pgx.BatchResults) error { // the answer comes with the held writes
		tag, err := res.Exec()
		affected = tag.RowsAffected()
		return err
	}, query, args...)
	return driver.RowsAffected(affected), err
}

func (p *pipeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.QueryContext(ctx, query, args...)
}

// QueryRowContext sends what is held first; if that failed, the query
// fails too (the transaction is aborted) and the write reports p.err.
func (p *pipeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	_ = p.flush(ctx)
	return p.conn.QueryRowContext(ctx, query, args...)
}

// flush sends what is held, with nothing after it.
func (p *pipeTx) flush(ctx context.Context) error { return p.send(ctx, nil, "") }

// rowAfterHeld is queryRow for a hot query that follows held writes (an
// account's balance update after an event's row): on PostgreSQL it goes
// out with them, one round trip for all, and runs when scanned. pgx
// scans its row, not database/sql: only for rows of plain text and
// integer columns (database/sql would also turn an integer into a bool).
func (t *Tx) rowAfterHeld(ctx context.Context, query string, args ...any) rowScanner {
	if p, ok := t.q.(*pipeTx); ok && (p.holding() > 0 || !p.open) {
		return heldRow{ctx, p, query, args}
	}
	return t.queryRow(ctx, query, args...)
}

type heldRow struct {
	ctx   context.Context
	p     *pipeTx
	query string
	args  []any
}

func (r heldRow) Scan(dest ...any) error {
	return r.p.send(r.ctx, func(res pgx.BatchResults) error { return res.QueryRow().Scan(dest...) }, r.query, r.args...)
}

// send sends what is held, followed by query when last is not nil,
// whose result last reads. A held statement's failure is p.err and is
// returned; the last statement's failure is only returned, for its
// caller to handle as without pipelining.
func (p *pipeTx) send(ctx context.Context, last func(pgx.BatchResults) error, query string, args ...any) error {
	tables, held := p.take()
	if p.wait() != nil || (len(tables) == 0 && len(held) == 0 && last == nil && p.open) {
		return p.err
	}
	lastErr, err := exchange(ctx, p.pgx(), p.begins(), tables, held, last, query, args)
	if err != nil {
		p.err = err
		return err
	}
	return lastErr
}

// exchange sends BEGIN (when begin is set), the held rows (a COPY per
// table), then the held statements and, when last is not nil, query as
// one pipeline; it reads the answers and hands query's to last. A held
// row's or statement's failure is err; the last statement's is lastErr.
func exchange(ctx context.Context, conn *pgx.Conn, begin bool, tables []*heldTable, held []heldStmt,
	last func(pgx.BatchResults) error, query string, args []any) (lastErr, err error) {
	if begin && len(tables) > 0 { // a COPY is a statement of its own: BEGIN goes first
		if _, err := conn.Exec(ctx, "begin"); err != nil {
			return nil, err
		}
		begin = false
	}
	for _, h := range tables {
		if err := h.copyIn(ctx, conn); err != nil {
			return nil, err
		}
	}
	if begin {
		held = append([]heldStmt{{query: "begin"}}, held...)
	}
	b := queue(held)
	if last != nil {
		b.Queue(query, args...)
	}
	if b.Len() == 0 {
		return nil, nil
	}
	res := conn.SendBatch(ctx, b)
	defer func() {
		if cerr := res.Close(); err == nil && lastErr == nil {
			err = cerr
		}
	}()
	for _, h := range held {
		if _, err := res.Exec(); err != nil {
			return nil, h.failed(err)
		}
	}
	if last != nil {
		lastErr = last(res)
	}
	return lastErr, nil
}

// queue is a pgx batch of the held statements.
func queue(held []heldStmt) *pgx.Batch {
	b := &pgx.Batch{}
	for _, h := range held {
		b.Queue(h.query, h.args...)
	}
	return b
}

// failed is what a held statement's failure is reported as.
func (h heldStmt) failed(err error) error {
	if h.explain != nil {
		return h.explain(err)
	}
	return fmt.Errorf("%.60s…: %w", h.query, err)
}
