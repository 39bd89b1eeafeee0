package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// The unit of work every use case of the package shares — ingestion,
// quotes, reviews, standings and tier grants: one transaction's program
// states, read once, carried from event to event, and written at the end
// with the batch's ledger rows. The use cases' own steps live in their
// files (ingest.go, quote.go, reviews.go, participation.go, tiers.go).

// newBatch starts a write transaction's work: the states it reads are
// locked until it commits.
func (s *Service) newBatch(tx Tx, p access.Principal, now time.Time) *batch {
	return &batch{s: s, tx: tx, p: p, now: now, locks: true,
		states: map[StateKey]*StoredState{}, isDirty: map[StateKey]bool{}, seen: map[string]int{}}
}

// reader starts the work of a read (a quote, a standing): it locks nothing,
// which a read-only transaction could not.
func (s *Service) reader(tx Tx, p access.Principal, now time.Time) *batch {
	b := s.newBatch(tx, p, now)
	b.locks = false
	return b
}

// batch is one transaction's ingestion: program states are read once,
// carried from event to event, and written at the end.
type batch struct {
	s        *Service
	tx       Tx
	p        access.Principal
	now      time.Time
	locks    bool // a write: lock the states read
	indexed  bool // name problems by the event's index in the batch
	programs []*running
	states   map[StateKey]*StoredState
	dirty    []StateKey // in the order first changed, so writes are deterministic
	isDirty  map[StateKey]bool
	seen     map[string]int    // source/external id → index in this batch
	known    map[string]Record // events stored before, by source/external id (nil: not preloaded)
	look     *lookups          // read before the transaction (nil: read inside it)
	ledger   ledger.Deferred   // ledger rows of the batch, written by flush
	// pending are hooks\' writes gathered over the batch (Pending).
	pending      map[any]Pending
	pendingOrder []any
	// lastPlans is the last organization's paid memberships read, reused
	// while the programs of one event are evaluated.
	lastPlans struct {
		org   string
		at    time.Time
		plans []engine.Plan
	}
	// lastSegs is the last organization's segment codes read.
	lastSegs struct {
		org  string
		segs []string
	}
}

// state reads a state once per batch (locked for the transaction).
func (b *batch) state(ctx context.Context, k StateKey) (*StoredState, error) {
	if st, ok := b.states[k]; ok {
		return st, nil
	}
	if err := b.readStates(ctx, []StateKey{k}); err != nil {
		return nil, err
	}
	return b.states[k], nil
}

// readStates reads keys not read yet into the batch's states (a missing
// state reads as empty, as state does).
func (b *batch) readStates(ctx context.Context, keys []StateKey) error {
	var todo []StateKey
	for _, k := range keys {
		if _, ok := b.states[k]; !ok {
			b.states[k] = &StoredState{Key: k}
			todo = append(todo, k)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	got, err := b.tx.GetStates(ctx, b.p.TenantID, todo, b.locks)
	if err != nil {
		for _, k := range todo {
			delete(b.states, k) // not read: read again if asked
		}
		return err
	}
	for i := range got {
		*b.states[got[i].Key] = got[i]
	}
	return nil
}

// keep records a participant's new state for the end of the batch.
func (b *batch) keep(k StateKey, s engine.State, due bool, r *running) {
	st := b.states[k]
	if st.Key == (StateKey{}) {
		st.Key = k
	}
	st.State = s
	// A review already due stays due: pushing it to the next period would
	// skip the period it has yet to review (its bonus, its tier check).
	if due && (st.DueAt.IsZero() || st.DueAt.After(b.now)) {
		st.DueAt = engine.NextDue(r.latest(), b.now)
	}
	b.markDirty(k)
}

func (b *batch) markDirty(k StateKey) {
	if !b.isDirty[k] {
		b.isDirty[k] = true
		b.dirty = append(b.dirty, k)
	}
}

// flush writes the ledger rows and the states the batch changed.
func (b *batch) flush(ctx context.Context) error {
	if err := b.flushPending(ctx); err != nil {
		return err
	}
	if err := b.ledger.Flush(ctx, b.tx); err != nil {
		return err
	}
	if len(b.dirty) == 0 {
		return nil
	}
	out := make([]StoredState, 0, len(b.dirty))
	for _, k := range b.dirty {
		out = append(out, *b.states[k])
	}
	return b.tx.PutStates(ctx, b.p.TenantID, out, b.now)
}
