package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
)

// Result is what happened to one event.
type Result struct {
	Record
	// Duplicate says the event had been received before; the stored
	// outcome is returned and nothing changed.
	Duplicate bool `json:"duplicate"`
	DryRun    bool `json:"dry_run"`
}

// Ingest applies a batch of events in one database transaction: all of
// them take effect, or — if any is wrong — none, with every problem named
// by its index. A dry run is the same transaction, rolled back.
func (s *Service) Ingest(ctx context.Context, p access.Principal, ins []Input, dryRun bool) ([]Result, error) {
	if err := p.Can(access.IngestEvents); err != nil {
		return nil, err
	}
	return s.ingest(ctx, p, ins, dryRun, true, false)
}

// IngestOne applies one event; problems name its fields without an index.
func (s *Service) IngestOne(ctx context.Context, p access.Principal, in Input, dryRun bool) (Result, error) {
	if err := p.Can(access.IngestEvents); err != nil {
		return Result{}, err
	}
	return s.ingestOne(ctx, p, in, dryRun, false)
}

// IngestOwn applies one event the product makes itself, in a source of
// its own (Service.Own): an approved claim, a membership sale or lapse, a
// birthday. The service that decided it checked the caller's right to
// decide, which is what the caller needs; the right to send events is not.
func (s *Service) IngestOwn(ctx context.Context, p access.Principal, in Input) (Result, error) {
	return s.ingestOne(ctx, p, in, false, true)
}

func (s *Service) ingestOne(ctx context.Context, p access.Principal, in Input, dryRun, own bool) (Result, error) {
	res, err := s.ingest(ctx, p, []Input{in}, dryRun, false, own)
	if err != nil {
		return Result{}, err
	}
	return res[0], nil
}

func (s *Service) ingest(ctx context.Context, p access.Principal, ins []Input, dryRun, indexed, own bool) (_ []Result, err error) {
	ctx, span := tracing.Start(ctx, "events.ingest", attribute.Int("events", len(ins)), attribute.Bool("dry_run", dryRun))
	defer func() { tracing.Fail(span, err); span.End() }()
	if err := p.Require(access.ScopeWrite); err != nil {
		return nil, err
	}
	if len(ins) == 0 || len(ins) > MaxBatch {
		return nil, errs.InvalidField("events", "batch_size", "send between 1 and %d events", MaxBatch)
	}
	if err := s.vetPartner(ctx, p, ins); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	evs, err := checkAll(ins, now, indexed)
	if err != nil {
		return nil, err
	}
	if !own {
		if err := s.refuseOwn(ins, indexed); err != nil {
			return nil, err
		}
	}
	look, err := s.prefetch(ctx, p, ins)
	if err != nil {
		return nil, err
	}
	run := s.Store.Write
	if dryRun {
		run = s.Store.Rehearse
	}
	var out []Result
	for attempt := 0; ; attempt++ {
		err = run(ctx, func(tx Tx) error {
			b := s.newBatch(tx, p, now)
			b.indexed, b.look = indexed, look
			res, err := b.all(ctx, ins, evs)
			out = res
			return err
		})
		if attempt == 2 || !raced(err) {
			break
		}
	}
	if dryRun && err == nil {
		rehearsed(out)
	}
	return out, err
}

// rehearsed marks a dry run's results, and drops the ledger rows they name:
// the rolled-back transaction took them with it.
func rehearsed(out []Result) {
	for i := range out {
		out[i].DryRun = true
		for j := range out[i].Results {
			out[i].Results[j].LedgerTx, out[i].Results[j].Lots = "", nil
		}
	}
}

// raced reports that another request stored one of the batch's events (or
// an organization it creates) between this one's check and its insert:
// run again, the batch then finds it stored and answers with its outcome.
func raced(err error) bool {
	e := errs.As(err)
	return e != nil && e.Kind == errs.Conflict && e.Code == "duplicate" &&
		slices.ContainsFunc(e.Fields, func(f errs.FieldError) bool { return strings.HasSuffix(f.Field, "external_id") })
}

// refuseOwn refuses events from outside in a source the product keeps
// for its own events.
func (s *Service) refuseOwn(ins []Input, indexed bool) error {
	var f errs.Fields
	for i, in := range ins {
		if src := strings.TrimSpace(in.Source); slices.Contains(s.Own, src) {
			f.Add(prefix(indexed, i)+"source", "reserved_source", "source %q is where the product records its own events (%s); name your own system instead", src, strings.Join(s.Own, ", "))
		}
	}
	return f.Err()
}

func checkAll(ins []Input, now time.Time, indexed bool) ([]engine.Event, error) {
	var all errs.Fields
	evs := make([]engine.Event, len(ins))
	for i, in := range ins {
		ev, err := check(in, now)
		if err != nil {
			if e := errs.As(err); e != nil {
				sub := all.Under(prefix(indexed, i))
				for _, fe := range e.Fields {
					sub.Add(fe.Field, fe.Code, "%s", fe.Message)
				}
				all.Merge(sub)
			}
			continue
		}
		evs[i] = ev
	}
	return evs, all.Err()
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

// prefix is the field path of a batch's i-th event.
func prefix(indexed bool, i int) string {
	if !indexed {
		return ""
	}
	return fmt.Sprintf("events[%d].", i)
}
