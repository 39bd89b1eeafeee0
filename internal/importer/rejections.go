package importer

import (
	"container/heap"
	"slices"
)

// MaxErrorRows is how many rows not imported an import keeps with their
// fields for the error file, per reason: the first by row number, so that
// every kind of problem shows however many rows another has. The summary
// counts every row.
const MaxErrorRows = 10_000

// rejections counts the rows not imported by reason and keeps the first
// of each reason by row number (all when max < 0): a file of a million
// wrong rows must not hold a million rows in memory.
type rejections struct {
	max      int
	kept     map[string]*rowHeap
	byReason map[string]int
	total    int
}

func newRejections(max int) *rejections {
	return &rejections{max: max, kept: map[string]*rowHeap{}, byReason: map[string]int{}}
}

// add counts a rejection and keeps it when it is among the first of its
// reason; fields reads the row's fields, only then.
func (rs *rejections) add(row int, reason, msg string, fields func() ([]string, error)) error {
	rs.byReason[reason]++
	rs.total++
	h := rs.kept[reason]
	if h == nil {
		h = &rowHeap{}
		rs.kept[reason] = h
	}
	full := rs.max >= 0 && h.Len() >= rs.max
	if full && (rs.max == 0 || row > (*h)[0].Row) {
		return nil
	}
	f, err := fields()
	if err != nil {
		return err
	}
	r := Rejection{Row: row, Reason: reason, Message: msg, Fields: f}
	if full {
		(*h)[0] = r // the last kept row gives way
		heap.Fix(h, 0)
		return nil
	}
	heap.Push(h, r)
	return nil
}

// sorted returns the kept rejections in row order.
func (rs *rejections) sorted() []Rejection {
	var out []Rejection
	for _, h := range rs.kept {
		out = append(out, *h...)
	}
	slices.SortFunc(out, func(a, b Rejection) int { return a.Row - b.Row })
	return out
}

// rowHeap holds rejections with the greatest row on top.
type rowHeap []Rejection

func (h rowHeap) Len() int           { return len(h) }
func (h rowHeap) Less(i, j int) bool { return h[i].Row > h[j].Row }
func (h rowHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rowHeap) Push(x any)        { *h = append(*h, x.(Rejection)) }
func (h *rowHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
