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
	if !indexed && !dryRun {
		res, err := s.join(ctx, p, ins[0], evs[0])
		return []Result{res}, err
	}
	return s.apply(ctx, p, ins, evs, dryRun, indexed)
}

// apply reads the lookups of checked events and applies them in one
// transaction (rolled back for a dry run), again if another request
// stored one of them first.
func (s *Service) apply(ctx context.Context, p access.Principal, ins []Input, evs []engine.Event, dryRun, indexed bool) ([]Result, error) {
	look, err := s.prefetch(ctx, p, ins)
	if err != nil {
		return nil, err
	}
	run := s.Store.Write
	if dryRun {
		run = s.Store.Rehearse
	}
	now := s.Clock.Now()
	var out []Result
	for attempt := 0; ; attempt++ {
		err = run(ctx, func(tx Tx) error {
			res, err := s.newBatch(tx, p, now, look, indexed).all(ctx, ins, evs)
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

// prefix is the field path of a batch's i-th event.
func prefix(indexed bool, i int) string {
	if !indexed {
		return ""
	}
	return fmt.Sprintf("events[%d].", i)
}
