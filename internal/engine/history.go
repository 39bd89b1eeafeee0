package engine

import "time"

// History bases: what cumulative discounts and tiers count.
const (
	HistoryProgram = "program" // the purchases the program itself saw (default)
	HistoryAll     = "all"     // also what the organization bought before, e.g. imported invoices
)

// History is what an organization bought before a program counted it:
// net purchases per month and in all, and its last purchase.
type History struct {
	Months    Months
	Lifetime  Month
	LastOrder *time.Time
}

// Add records a purchase (sign 1) or a return (sign -1) of amount and
// units at a time.
func (h *History) Add(at time.Time, amount, qty, sign int64) {
	d := Month{Spend: sign * amount, Quantity: sign * qty}
	if sign > 0 {
		d.Orders = 1
		if h.LastOrder == nil || at.After(*h.LastOrder) {
			t := at
			h.LastOrder = &t
		}
	}
	m := h.Months.at(monthOf(at))
	m.Spend += d.Spend
	m.Quantity += d.Quantity
	m.Orders += d.Orders
	h.Lifetime.Spend += d.Spend
	h.Lifetime.Quantity += d.Quantity
	h.Lifetime.Orders += d.Orders
}

// NeedsHistory reports whether an organization's state in the program
// starts from its history (the program counts all history and the state
// has counted nothing yet).
func (p *Program) NeedsHistory(st State) bool {
	return p.Def.History == HistoryAll && st.EnrolledAt == nil && len(st.Months) == 0 && st.Lifetime == (Month{})
}

// Seed starts an organization's state from its history at a time, for a
// program that counts all history: the monthly totals windows read (the
// last 25 months), lifetime totals, the last order, lifetime cumulative
// discounts at the step the lifetime spend reaches, and the tier its
// metric over the window reaches (the "points" metric counts only what
// the program earned). Volume brackets count from the program's start.
func Seed(p *Program, st State, h History, at time.Time) State {
	st = st.Clone()
	for _, m := range h.Months {
		*st.Months.at(m.n) = m.Month
	}
	st.prune(monthOf(at))
	st.Lifetime, st.LastOrder = h.Lifetime, h.LastOrder
	settleCumulative(p, &st, at, h.Lifetime.Spend) // lifetime discounts from nothing: the step the spend reaches
	if t := p.Def.Tiers; t != nil {
		lv := reachedLevel(t, metric(st.Window(t.Window, at), t.Metric))
		if lv > 0 {
			since := at
			st.Tier, st.TierSince = t.Levels[lv].Code, &since
		}
	}
	return st
}
