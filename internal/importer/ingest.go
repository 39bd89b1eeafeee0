package importer

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// maxBatchRows is how many rows the events of one batch carry at most
// (one event of more goes alone): what a batch holds while it is ingested
// grows with its lines, and invoices of twenty lines would make a batch of
// as many events hold a hundred thousand.
const maxBatchRows = 10_000

// ingest sends the events in batches, each read back from the spill just
// before it is sent. A batch the events service refuses is sent again
// event by event, so that one wrong event rejects only its own rows.
func (r *run) ingest(ctx context.Context) error {
	size := r.s.BatchSize
	if size <= 0 || size > events.MaxBatch {
		size = events.MaxBatch
	}
	total, done := len(r.todo), 0
	for len(r.todo) > 0 {
		keys := r.todo[:r.batchLen(size)]
		r.todo = r.todo[len(keys):]
		batch, err := r.batch(keys)
		if err != nil {
			return err
		}
		if err := r.send(ctx, batch); err != nil {
			return err
		}
		r.plan.held -= rowsIn(batch)
		done += len(batch)
		if r.req.Progress != nil {
			r.req.Progress("ingest", done, total)
		}
	}
	return nil
}

// batchLen is how many of the next events form a batch: at most size,
// and at most maxBatchRows rows unless the first alone has more.
func (r *run) batchLen(size int) int {
	n, rows := 0, 0
	for n < min(size, len(r.todo)) {
		rows += r.plan.rowsOf(r.todo[n])
		if n > 0 && rows > maxBatchRows {
			break
		}
		n++
	}
	return n
}

// batch reads the events of keys back.
func (r *run) batch(keys []eventKey) ([]Planned, error) {
	batch := make([]Planned, len(keys))
	for i, k := range keys {
		e, err := r.plan.event(k)
		if err != nil {
			return nil, err
		}
		batch[i] = e
	}
	r.plan.hold(rowsIn(batch))
	return batch, nil
}

func rowsIn(batch []Planned) int {
	n := 0
	for _, e := range batch {
		n += len(e.Rows)
	}
	return n
}

func (r *run) send(ctx context.Context, batch []Planned) error {
	ins := make([]events.Input, len(batch))
	for i := range batch {
		ins[i] = batch[i].Input
	}
	res, err := r.s.Events.Ingest(ctx, r.p, ins, r.req.DryRun)
	switch {
	case err == nil:
		for i := range batch {
			r.outcome(batch[i], res[i])
		}
		return nil
	case refused(err):
		return r.oneByOne(ctx, batch)
	default:
		return err
	}
}

func (r *run) oneByOne(ctx context.Context, batch []Planned) error {
	for _, e := range batch {
		res, err := r.s.Events.IngestOne(ctx, r.p, e.Input, r.req.DryRun)
		switch {
		case err == nil:
			r.outcome(e, res)
		case r.req.DryRun && code(err) == "unknown_original" && r.planned(e.Input.Original):
			r.created(len(e.Rows), true) // its invoice is earlier in this dry run, which stored nothing
		case refused(err):
			if err := r.reject(e, RejRefused, fmt.Sprintf("%s %s: %v", e.Input.Type, e.Input.ExternalID, err)); err != nil {
				return err
			}
		default:
			return err
		}
	}
	return nil
}

func (r *run) outcome(e Planned, res events.Result) {
	if res.Duplicate {
		r.sum.EventsDuplicate++
		r.sum.LinesDuplicate += len(e.Rows)
		return
	}
	r.created(len(e.Rows), e.Input.Type == engine.Return)
}

// refused says the events service turned the input down (as opposed to
// failing).
func refused(err error) bool {
	k := errs.KindOf(err)
	return k == errs.Invalid || k == errs.Conflict || k == errs.NotFound
}

func code(err error) string {
	e := errs.As(err)
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Code != "" {
			return f.Code
		}
	}
	return e.Code
}
