// Package jobrun runs background jobs so that one bad row never stops a job
// for a tenant: a row the job cannot process is left as it is and
// reported, and every other row is processed. The caller logs and counts
// what was skipped and tells the operator.
package jobrun

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Skipped is a row a job left as it was because processing it failed.
type Skipped struct {
	Row string
	Err error
}

// Error reports the rows one run of a job skipped. The run processed every
// other row; an Error says the job needs attention, not that it stopped.
type Error struct {
	Job     string
	Skipped []Skipped
}

func (e *Error) Error() string {
	if len(e.Skipped) == 1 {
		return fmt.Sprintf("%s: skipped row %s: %v", e.Job, e.Skipped[0].Row, e.Skipped[0].Err)
	}
	return fmt.Sprintf("%s: skipped %d rows; first %s: %v", e.Job, len(e.Skipped), e.Skipped[0].Row, e.Skipped[0].Err)
}

// Add records a skipped row.
func (e *Error) Add(row string, err error) {
	e.Skipped = append(e.Skipped, Skipped{Row: row, Err: err})
}

// Err is e, or nil when nothing was skipped.
func (e *Error) Err() error {
	if len(e.Skipped) == 0 {
		return nil
	}
	return e
}

// Skips returns the report of skipped rows err is or wraps.
func Skips(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// RowFailure reports whether err is a failure of one row rather than of
// the run: an error with a kind (errs) says what is wrong with the data,
// while anything else — the database unreachable, the context ended — ends
// the run, to be tried again next time.
func RowFailure(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() == nil && errs.As(err) != nil
}

// Batch is a job over due rows.
type Batch[T any] struct {
	Job  string
	Size int // rows per transaction
	ID   func(T) string
	// Due reads up to limit due rows, in the order they are processed.
	Due func(ctx context.Context, limit int) ([]T, error)
	// Do processes rows in one transaction, leaving alone those no longer
	// due once locked, and returns how many it processed.
	Do func(ctx context.Context, rows []T) (int, error)
}

// Run processes due rows in batches until a batch processes none. A batch
// that fails for a row (RowFailure) is processed again a row at a time:
// the rows that fail alone are skipped for the rest of the run and the
// others are processed. Run returns how many rows it processed and, when
// it skipped any, an *Error listing them; any other error ends the run.
func Run[T any](ctx context.Context, b Batch[T]) (int, error) {
	report := &Error{Job: b.Job}
	skipped := map[string]bool{}
	total := 0
	for {
		rows, err := b.Due(ctx, b.Size+len(skipped))
		if err != nil {
			return total, err
		}
		rows = slices.DeleteFunc(rows, func(r T) bool { return skipped[b.ID(r)] })
		rows = rows[:min(len(rows), b.Size)]
		if len(rows) == 0 {
			return total, report.Err()
		}
		n, err := b.Do(ctx, rows)
		if RowFailure(ctx, err) {
			n, err = oneByOne(ctx, b, rows, skipped, report)
		}
		total += n
		if err != nil {
			return total, err
		}
		if n == 0 && !slices.ContainsFunc(rows, func(r T) bool { return skipped[b.ID(r)] }) {
			return total, report.Err() // nothing was due after all
		}
	}
}

// oneByOne processes rows one per transaction, skipping those that fail.
func oneByOne[T any](ctx context.Context, b Batch[T], rows []T, skipped map[string]bool, report *Error) (int, error) {
	total := 0
	for _, r := range rows {
		n, err := b.Do(ctx, []T{r})
		switch {
		case RowFailure(ctx, err):
			skipped[b.ID(r)] = true
			report.Add(b.ID(r), err)
		case err != nil:
			return total, err
		default:
			total += n
		}
	}
	return total, nil
}
