package importer

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// Plan is what a file amounts to before anything is written: the events
// to ingest and the rows that will not be.
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
	mp, err := newMapper(m, t.Header(), t.Serial(), now)
	if err != nil {
		return Plan{}, err
	}
	g := newGrouper(Source(m))
	var pl Plan
	for row := 2; ; row++ { // row 1 is the header
		rec, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Plan{}, err
		}
		pl.RowsRead++
		raw := slices.Clone(rec)
		l, reason, msg := mp.row(raw, row)
		l.raw = raw
		if reason != "" {
			pl.Rejected = append(pl.Rejected, Rejection{Row: row, Reason: reason, Message: msg, Fields: raw})
		} else {
			g.add(l)
		}
		if pl.RowsRead%100_000 == 0 {
			if err := ctx.Err(); err != nil {
				return Plan{}, err
			}
			if progress != nil {
				progress("read", pl.RowsRead, 0)
			}
		}
	}
	if pl.RowsRead == 0 {
		return Plan{}, errEmpty()
	}
	pl.Events = g.plan()
	pl.unmatched = g.unmatched
	pl.Rejected = append(pl.Rejected, g.rejected...)
	slices.SortStableFunc(pl.Rejected, func(a, b Rejection) int { return a.Row - b.Row })
	return pl, nil
}
