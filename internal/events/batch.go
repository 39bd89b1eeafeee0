package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// batch is ingestion's pipeline over a unit of work: each event is
// checked against those stored and those before it in the batch, resolved
// to its people, evaluated by every running program, posted, passed to
// the hooks and stored; the unit writes the rest at the end.
type batch struct {
	people
	indexed bool              // name problems by the event's index in the batch
	seen    map[string]int    // source/external id → index in this batch
	known   map[string]Record // events stored before, by source/external id (nil: not preloaded)
}

// newBatch starts an ingestion in a write transaction, with the lookups
// read before it (nil: everything is read inside it).
func (s *Service) newBatch(tx Tx, p access.Principal, now time.Time, look *lookups, indexed bool) *batch {
	return &batch{people: people{unit: s.newUnit(tx, p, now), look: look}, indexed: indexed, seen: map[string]int{}}
}

func (b *batch) all(ctx context.Context, ins []Input, evs []engine.Event) ([]Result, error) {
	var err error
	if b.look != nil {
		b.programs = b.look.programs
	} else if b.programs, err = b.s.running(ctx, b.tx, b.p.TenantID); err != nil {
		return nil, err
	}
	if err := b.preload(ctx, ins, evs); err != nil {
		return nil, err
	}
	out := make([]Result, len(ins))
	for i := range ins {
		r, err := b.one(ctx, &ins[i], &evs[i])
		if err != nil && b.indexed {
			return nil, errs.Prefix(err, prefix(b.indexed, i))
		}
		if err != nil {
			return nil, err // a single event: its message is not prefixed with ": "
		}
		out[i] = r
	}
	return out, b.flush(ctx)
}

// one ingests one event.
func (b *batch) one(ctx context.Context, in *Input, ev *engine.Event) (Result, error) {
	if in.requestID != "" {
		ctx = access.WithRequestID(ctx, in.requestID)
	}
	hash := hashInput(*in)
	if prev, done, err := b.repeat(ctx, ev, hash); done || err != nil {
		return prev, err
	}
	org, err := b.organization(ctx, in)
	if err != nil {
		return Result{}, err
	}
	rec := Record{ID: ids.New(), TenantID: b.p.TenantID, OrganizationID: org.ID, Hash: hash, Event: *ev, CreatedAt: b.now}
	rec.Event.ID = rec.ID
	member, err := b.member(ctx, in, org.ID)
	if err != nil {
		return Result{}, err
	}
	if member != nil {
		rec.MemberID = member.ID
	}
	if ev.Type == engine.Return {
		err = b.applyReturn(ctx, &rec, org, member)
	} else {
		err = b.apply(ctx, &rec, org, member)
	}
	if err != nil {
		return Result{}, err
	}
	if err := b.runHooks(ctx, in, &rec); err != nil {
		return Result{}, err
	}
	if err := b.tx.InsertEvent(ctx, rec); err != nil {
		return Result{}, err
	}
	if err := b.queueMessages(ctx, &rec); err != nil {
		return Result{}, err
	}
	return Result{Record: rec}, nil
}

// repeat finds an event received before, in storage or earlier in this
// batch: the same content is a duplicate, other content a conflict.
func (b *batch) repeat(ctx context.Context, ev *engine.Event, hash string) (Result, bool, error) {
	key := ev.Source + "\x00" + ev.ExternalID
	if _, ok := b.seen[key]; ok {
		return Result{}, true, errs.E(errs.Conflict, "duplicate_in_batch", "event %s/%s appears twice in this batch", ev.Source, ev.ExternalID)
	}
	b.seen[key] = 1
	prev, err := b.stored(ctx, ev, key)
	if errs.Is(err, errs.NotFound) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, true, err
	}
	if prev.Hash != hash {
		return Result{}, true, errs.E(errs.Conflict, "external_id_reused",
			"event %s/%s was already received with different content (event %s); send a new external id for a new event", ev.Source, ev.ExternalID, prev.ID)
	}
	return Result{Record: prev, Duplicate: true}, true, nil
}

// stored is the event received before under the event's source and
// external id, from the batch's preload when it ran.
func (b *batch) stored(ctx context.Context, ev *engine.Event, key string) (Record, error) {
	if b.known == nil {
		return b.tx.GetEventByExternal(ctx, b.p.TenantID, ev.Source, ev.ExternalID)
	}
	if prev, ok := b.known[key]; ok {
		return prev, nil
	}
	return Record{}, errNotStored
}

// errNotStored is the preload's answer for a new event (most of a batch):
// one value, not an error built per event.
var errNotStored = errs.E(errs.NotFound, "not_found", "no event stored under this source and external id")

// runHooks calls every hook for a new event.
func (b *batch) runHooks(ctx context.Context, in *Input, rec *Record) error {
	if len(b.s.Hooks) == 0 {
		return nil
	}
	h := &HookCtx{Tx: b.tx, Principal: b.p, Now: b.now, Input: in, u: b.unit}
	for _, hk := range b.s.Hooks {
		if err := hk.AfterEvent(ctx, h, rec); err != nil {
			return err
		}
	}
	return nil
}
