package goal

import (
	"math/bits"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// matches reports whether a line counts for the goal: its SKU is listed
// or its category is (both lists empty: every line counts).
func (g *Goal) matches(sku, category string) bool {
	if len(g.SKUs) == 0 && len(g.Categories) == 0 {
		return true
	}
	_, inSKUs := slices.BinarySearch(g.SKUs, sku)
	_, inCats := slices.BinarySearch(g.Categories, category)
	return inSKUs || (category != "" && inCats)
}

// purchaseDelta is what a purchase adds to an amount, quantity, orders or
// share goal (ok false: nothing).
func (g *Goal) purchaseDelta(ev *engine.Event) (int64, bool) {
	var amount, qty int64
	hit := false
	for _, l := range ev.Lines {
		if g.matches(l.SKU, l.Category) {
			amount, qty, hit = amount+l.Amount, qty+l.Qty, true
		}
	}
	switch {
	case !hit:
		return 0, false
	case g.Metric == Amount || g.Metric == Share:
		return amount, true
	case g.Metric == Quantity:
		return qty, true
	case g.Metric == Orders:
		return 1, true
	}
	return 0, false
}

// returnDelta is what a return takes off an amount, quantity or share goal:
// the returned units of matching lines at the original's price. Orders
// stay counted: the order was placed.
func (g *Goal) returnDelta(ev *engine.Event, orig *engine.Event) (int64, bool) {
	if g.Metric != Amount && g.Metric != Quantity && g.Metric != Share {
		return 0, false
	}
	var amount, qty int64
	hit := false
	for _, l := range ev.Lines {
		i := slices.IndexFunc(orig.Lines, func(o engine.Line) bool { return o.SKU == l.SKU })
		if i < 0 || !g.matches(l.SKU, orig.Lines[i].Category) {
			continue
		}
		amount, qty, hit = amount+l.Qty*orig.Lines[i].UnitPrice, qty+l.Qty, true
	}
	if !hit {
		return 0, false
	}
	if g.Metric == Quantity {
		return -qty, true
	}
	return -amount, true
}

// countDelta is what a non-purchase event adds to a counting goal.
func (g *Goal) countDelta(ev *engine.Event) (int64, bool) {
	switch {
	case g.Metric == Trainings && ev.Type == engine.Training:
		return 1, true
	case g.Metric == Claims && ev.Type == engine.Claim:
		return 1, true
	}
	return 0, false
}

// shareBP is amount as basis points of total, floored, between 0 and 10000
// (a partner reporting less than it bought from the operator is at 100%).
func shareBP(amount, total int64) int64 {
	switch {
	case total <= 0 || amount <= 0:
		return 0
	case amount >= total:
		return maxBP
	}
	hi, lo := bits.Mul64(uint64(amount), maxBP)
	q, _ := bits.Div64(hi, lo, uint64(total)) // amount < total, so the quotient fits
	return int64(q)
}

// Delta is what an event adds to the goal's counter (ok false: nothing),
// as the hook counts it; orig is a return's original purchase. A share
// goal's reported total is not a delta (ReportedTotal). The simulator
// counts goals with it.
func (g Goal) Delta(ev, orig *engine.Event) (int64, bool) {
	switch {
	case ev.Type == engine.Return:
		if orig == nil || !g.inPeriod(orig.OccurredAt) {
			return 0, false
		}
		return g.returnDelta(ev, orig)
	case g.Metric == Claims || g.Metric == Trainings:
		return g.countDelta(ev)
	case engine.Purchase(ev.Type):
		return g.purchaseDelta(ev)
	}
	return 0, false
}

// InPeriod reports whether a moment falls in the goal's period.
func (g Goal) InPeriod(t time.Time) bool { return g.inPeriod(t) }

// ReportedTotal reads a partner's reported total purchases from a
// purchases_total event (ok false: not such an event).
func ReportedTotal(ev *engine.Event) (int64, bool, error) { return reportedTotal(ev) }
