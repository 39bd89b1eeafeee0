package simulate

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// history is an organization's purchases and returns so far — before the
// range (Input.History) and replayed since, whatever the program did with
// them — as live keeps them in its sales facts.
func (r *runner) history(org string) *engine.History {
	if r.hist == nil {
		r.hist = map[string]*engine.History{}
	}
	h := r.hist[org]
	if h == nil {
		h = &engine.History{}
		if before, ok := r.in.History[org]; ok {
			h.Lifetime, h.LastOrder = before.Lifetime, before.LastOrder
			h.Months = before.Months.Clone()
		}
		r.hist[org] = h
	}
	return h
}

// seeded is an organization's state at t, started from its history when
// the program counts all history and the state has counted nothing yet,
// as ingestion does.
func (r *runner) seeded(org string, st engine.State, t time.Time) engine.State {
	v := r.v.at(t)
	if v == nil {
		v = r.v.latest()
	}
	if !v.NeedsHistory(st) {
		return st
	}
	return engine.Seed(v, st, *r.history(org), t)
}

// quantity is the units of lines.
func quantity(lines []engine.Line) int64 {
	var n int64
	for _, l := range lines {
		n += l.Qty
	}
	return n
}
