package store

import (
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// Sums of stored amounts never overflow in SQL: SQLite's SUM raises an
// error on integer overflow, and PostgreSQL's sum of BIGINT is NUMERIC,
// which no longer fits an int64. splitSum sums a column in two halves,
// x / 2^32 and x % 2^32 (both engines truncate towards zero, so the halves
// add up to x exactly), and neither half's sum can overflow before two
// billion rows. Go puts the halves together (wide.value) and reports a
// total beyond int64 as money.ErrOverflow, which the domain turns into an
// error it chose instead of an internal one.

// splitSum selects the two halves of SUM(expr), as two columns.
func splitSum(expr string) string { return sumHi(expr) + ", " + sumLo(expr) }

// sumHi and sumLo are the halves one by one (for scalar subqueries).
func sumHi(expr string) string { return "COALESCE(SUM((" + expr + ") / 4294967296), 0)" }
func sumLo(expr string) string { return "COALESCE(SUM((" + expr + ") % 4294967296), 0)" }

// wide is a sum read in halves by splitSum.
type wide struct{ hi, lo int64 }

// value is the sum, or money.ErrOverflow.
func (w wide) value() (int64, error) {
	var v int64
	var c money.Checked
	c.AddProduct(&v, w.hi, 1<<32)
	c.Add(&v, w.lo)
	return v, c.Err()
}

// scanSums scans a row of lead columns followed by the halves of
// len(sums) split sums, and puts each sum together into sums[i], or
// reports the first that does not fit.
func scanSums(r rowScanner, lead []any, sums ...*int64) error {
	ws := make([]wide, len(sums))
	dest := lead
	for i := range ws {
		dest = append(dest, &ws[i].hi, &ws[i].lo)
	}
	if err := r.Scan(dest...); err != nil {
		return err
	}
	for i, w := range ws {
		v, err := w.value()
		if err != nil {
			return err
		}
		*sums[i] = v
	}
	return nil
}
