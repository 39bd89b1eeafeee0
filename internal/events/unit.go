package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// The unit of work every use case of the package shares — ingestion,
// quotes, reviews, standings and tier grants: one transaction's program
// states, read once, carried from event to event, and written at the end
// with the ledger rows and hooks' writes gathered meanwhile. Each use case
// is a small pipeline over it in its own file: ingestion (ingest.go and
// the files of its steps), quoting (quote.go), reviewing (reviews.go);
// standings and tier grants (participation.go, tiers.go) use the unit and
// the people it resolves (participants.go) directly.

// unit is one transaction's work.
type unit struct {
	s        *Service
	tx       Tx
	p        access.Principal
	now      time.Time
	locks    bool // a write: lock the states read
	programs []*running
	states   map[StateKey]*StoredState
	dirty    []StateKey // in the order first changed, so writes are deterministic
	isDirty  map[StateKey]bool
	ledger   ledger.Deferred // ledger rows of the unit, written by flush
	// pending are hooks' writes gathered over the unit (Pending).
	pending      map[any]Pending
	pendingOrder []any
}

// newUnit starts a write transaction's work: the states it reads are
// locked until it commits.
func (s *Service) newUnit(tx Tx, p access.Principal, now time.Time) *unit {
	return &unit{s: s, tx: tx, p: p, now: now, locks: true, states: map[StateKey]*StoredState{}, isDirty: map[StateKey]bool{}}
}

// readUnit starts the work of a read (a quote, a standing): it locks
// nothing, which a read-only transaction could not.
func (s *Service) readUnit(tx Tx, p access.Principal, now time.Time) *unit {
	u := s.newUnit(tx, p, now)
	u.locks = false
	return u
}

// flush writes the ledger rows and the states the unit changed.
func (u *unit) flush(ctx context.Context) error {
	if err := u.flushPending(ctx); err != nil {
		return err
	}
	if err := u.ledger.Flush(ctx, u.tx); err != nil {
		return err
	}
	if len(u.dirty) == 0 {
		return nil
	}
	out := make([]StoredState, 0, len(u.dirty))
	for _, k := range u.dirty {
		out = append(out, *u.states[k])
	}
	return u.tx.PutStates(ctx, u.p.TenantID, out, u.now)
}
