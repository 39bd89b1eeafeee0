package jobrun

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// table is a job over numbered rows: a row is due until processed; bad
// rows fail with a row error, and down makes every call fail outright.
type table struct {
	due  []int
	bad  map[int]bool
	down bool
	txs  int // transactions run
}

func (tb *table) batch(size int) Batch[int] {
	return Batch[int]{Job: "test", Size: size, ID: func(r int) string { return string(rune('a' + r)) },
		Due: func(_ context.Context, limit int) ([]int, error) {
			if tb.down {
				return nil, errors.New("connection refused")
			}
			return slices.Clone(tb.due[:min(limit, len(tb.due))]), nil
		},
		Do: func(_ context.Context, rows []int) (int, error) {
			tb.txs++
			for _, r := range rows {
				if tb.bad[r] {
					return 0, errs.E(errs.Conflict, "taken", "row %d is bad", r)
				}
			}
			tb.due = slices.DeleteFunc(tb.due, func(r int) bool { return slices.Contains(rows, r) })
			return len(rows), nil
		}}
}

func TestRun(t *testing.T) {
	for _, c := range []struct {
		name     string
		due      []int
		bad      []int
		size     int
		done     int
		skipped  []string
		leftOver []int
	}{
		{"all good", []int{0, 1, 2, 3, 4}, nil, 2, 5, nil, nil},
		{"nothing due", nil, nil, 2, 0, nil, nil},
		{"one bad row", []int{0, 1, 2, 3, 4}, []int{2}, 2, 4, []string{"c"}, []int{2}},
		{"bad rows first", []int{0, 1, 2, 3, 4}, []int{0, 1}, 2, 3, []string{"a", "b"}, []int{0, 1}},
		{"every row bad", []int{0, 1, 2}, []int{0, 1, 2}, 3, 0, []string{"a", "b", "c"}, []int{0, 1, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := &table{due: c.due, bad: map[int]bool{}}
			for _, r := range c.bad {
				tb.bad[r] = true
			}
			n, err := Run(context.Background(), tb.batch(c.size))
			var got []string
			if rep, ok := Skips(err); ok {
				for _, s := range rep.Skipped {
					got = append(got, s.Row)
				}
			} else if err != nil {
				t.Fatalf("error %v, want none or skipped rows", err)
			}
			if n != c.done || !slices.Equal(got, c.skipped) || !slices.Equal(tb.due, c.leftOver) {
				t.Fatalf("done %d, skipped %v, left %v; want %d, %v, %v", n, got, tb.due, c.done, c.skipped, c.leftOver)
			}
		})
	}
}

// A failure that is not about a row (the database is down) ends the run
// at once instead of skipping every row.
func TestRunStopsWhenTheDatabaseFails(t *testing.T) {
	tb := &table{due: []int{0, 1, 2}, down: true}
	n, err := Run(context.Background(), tb.batch(2))
	if _, skipped := Skips(err); n != 0 || err == nil || skipped {
		t.Fatalf("done %d, error %v; want 0 and the database's error", n, err)
	}
}
