package importer

import (
	"container/heap"
	"slices"
)

// MaxErrorRows is how many rows not imported an import keeps with their
// fields, for the error file: the first by row number. The summary counts
// every one.
const MaxErrorRows = 50_000

// rejections counts the rows not imported by reason and keeps the first
// of them by row number (all when max < 0): a file of a million wrong rows
// must not hold a million rows in memory.
type rejections struct {
	max      int
	kept     rowHeap
	byReason map[string]int
	total    int
}

func newRejections(max int) *rejections {
	return &rejections{max: max, byReason: map[string]int{}}
}

// wants says whether a rejection of row would be kept (its fields need
// not be read otherwise).
func (rs *rejections) wants(row int) bool {
	return rs.max < 0 || len(rs.kept) < rs.max || (rs.max > 0 && row < rs.kept[0].Row)
}

// add counts a rejection and keeps it when it is among the first; fields
// reads the row's fields, only then.
func (rs *rejections) add(row int, reason, msg string, fields func() ([]string, error)) error {
	rs.byReason[reason]++
	rs.total++
	if !rs.wants(row) {
		return nil
	}
	f, err := fields()
	if err != nil {
		return err
	}
	r := Rejection{Row: row, Reason: reason, Message: msg, Fields: f}
	if rs.max >= 0 && len(rs.kept) == rs.max {
		rs.kept[0] = r // the last kept row gives way
		heap.Fix(&rs.kept, 0)
		return nil
	}
	heap.Push(&rs.kept, r)
	return nil
}

// sorted returns the kept rejections in row order.
func (rs *rejections) sorted() []Rejection {
	out := slices.Clone([]Rejection(rs.kept))
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
