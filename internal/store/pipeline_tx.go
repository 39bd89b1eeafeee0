package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// A PostgreSQL write's transaction is begun and committed by the
// pipeline (pipeline.go) rather than by database/sql: BEGIN is held and
// goes with the write's first statement, and COMMIT goes with what is
// still held at the end, one round trip each fewer. A single earn was
// five round trips (BEGIN, its idempotency read, its wallet update, its
// held rows, COMMIT) and is three. A write that ends having sent nothing
// began nothing.

// begins reports whether what is sent next must begin the transaction,
// and marks it begun.
func (p *pipeTx) begins() bool {
	begin := !p.open
	p.open = true
	return begin
}

// commit sends what is held and COMMIT. PostgreSQL answers the COMMIT of
// a transaction in which a statement failed with ROLLBACK, not an error:
// that is one.
func (p *pipeTx) commit(ctx context.Context) error {
	if !p.open && p.holding() == 0 {
		return nil
	}
	return p.send(ctx, func(res pgx.BatchResults) error {
		tag, err := res.Exec()
		if err == nil && tag.String() != "COMMIT" {
			err = errors.New("commit: the transaction had failed and was rolled back")
		}
		return err
	}, "commit")
}

// rollback ends a failed write or a dry run, once what was sent ahead is
// answered. A connection it could not roll back is not reused: the driver
// discards one returned with a transaction open.
func (p *pipeTx) rollback(ctx context.Context) {
	_ = p.wait()
	if p.open {
		_, _ = p.conn.ExecContext(context.WithoutCancel(ctx), "rollback")
	}
}
