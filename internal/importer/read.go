package importer

import (
	"context"
	"strings"
	"time"
)

// Plan is what a file amounts to before anything is written: the events
// to ingest and the rows that will not be, all in memory (Service.Run
// streams instead).
type Plan struct {
	Format   Format
	RowsRead int
	Events   []Planned
	Rejected []Rejection // in row order
	// unmatched are credit-note lines without an invoice in the file, for
	// the invoices stored before (Service.Run matches them).
	unmatched []line
}

// Progress is told how many rows have been read or ingested so far.
type Progress func(stage string, done, total int)

// Source is the event source of a mapping: "import:<name>".
func Source(m *Mapping) string {
	name := strings.TrimSpace(m.Name)
	if name == "" {
		return "import"
	}
	return "import:" + name[:min(len(name), 57)] // sources have at most 64 bytes
}

// Read maps every record of t and groups the good ones into events. It
// fails only when the file as a whole cannot be read or mapped (a missing
// column, a broken CSV); wrong rows are rejected one by one.
func Read(ctx context.Context, t Table, m *Mapping, now time.Time, progress Progress) (Plan, error) {
	p, err := plan(ctx, t, m, now, progress, -1)
	if err != nil {
		return Plan{}, err
	}
	defer p.close()
	pl := Plan{RowsRead: p.rows, Rejected: p.errs.sorted(), unmatched: p.unmatched}
	for _, k := range p.order {
		e, err := p.event(k)
		if err != nil {
			return Plan{}, err
		}
		pl.Events = append(pl.Events, e)
	}
	return pl, nil
}

// plan reads and groups a file, keeping at most keep rejected rows (all
// when keep < 0). The caller closes the planner.
func plan(ctx context.Context, t Table, m *Mapping, now time.Time, progress Progress, keep int) (*planner, error) {
	mp, err := newMapper(m, t.Header(), t.Serial(), now)
	if err != nil {
		return nil, err
	}
	p, err := newPlanner(Source(m), keep)
	if err != nil {
		return nil, err
	}
	if err := p.scan(ctx, t, mp, progress); err != nil {
		p.close()
		return nil, err
	}
	if err := p.group(); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}
