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
// save: later runs the statement at once.

// pipeTx is a PostgreSQL transaction that holds back writes. Every
// statement goes through it (it is the Tx's querier), so none can
// overtake what is held.
type pipeTx struct {
	tx   *sql.Tx
	conn *sql.Conn // the transaction's connection, for pgx's pipeline
	held []heldStmt
	// err is the first failure of held statements. It is the cause of
	// whatever failed after it (PostgreSQL refuses every statement of a
	// failed transaction), so the write reports it, and a deadlock among
	// the held statements is retried like any other.
	err error
}

type heldStmt struct {
	query string
	args  []any
}

// later runs a write whose result is only an error: held until the next
// statement on PostgreSQL, at once on SQLite. Its error may then surface
// at a later statement or at commit, failing the whole transaction.
func (t *Tx) later(ctx context.Context, query string, args ...any) error {
	p, ok := t.q.(*pipeTx)
	if !ok {
		_, err := t.exec(ctx, query, args...)
		return err
	}
	p.held = append(p.held, heldStmt{query, args})
	return nil
}

func (p *pipeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if len(p.held) == 0 {
		return p.tx.ExecContext(ctx, query, args...)
	}
	p.held = append(p.held, heldStmt{query, args}) // the answer comes with the held writes
	return p.send(ctx)
}

func (p *pipeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if _, err := p.send(ctx); err != nil {
		return nil, err
	}
	return p.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext sends what is held first; if that failed, the query
// fails too (the transaction is aborted) and the write reports p.err.
func (p *pipeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	_, _ = p.send(ctx)
	return p.tx.QueryRowContext(ctx, query, args...)
}

// send sends the held statements as one pipeline and returns the last
// one's result.
func (p *pipeTx) send(ctx context.Context) (sql.Result, error) {
	held := p.held
	p.held = nil
	if len(held) == 0 || p.err != nil {
		return nil, p.err
	}
	var affected int64
	err := p.conn.Raw(func(dc any) error {
		b := &pgx.Batch{}
		for _, h := range held {
			b.Queue(h.query, h.args...)
		}
		res := dc.(*stdlib.Conn).Conn().SendBatch(ctx, b)
		for _, h := range held {
			tag, err := res.Exec()
			if err != nil {
				_ = res.Close()
				return fmt.Errorf("%.60s…: %w", h.query, err)
			}
			affected = tag.RowsAffected()
		}
		return res.Close()
	})
	if err != nil {
		p.err = err
		return nil, err
	}
	return driver.RowsAffected(affected), nil
}
