package analytics

import (
	"errors"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// ErrOutOfRange refuses a report whose figures do not fit in 64 bits.
// Amounts are bounded where they enter (money.MaxAmount per event), so
// only thousands of maximal events in one range reach it; the answer is
// then an error the caller can act on, never a wrong figure or a 500.
var ErrOutOfRange = errs.E(errs.Invalid, "figures_out_of_range",
	"the report's figures add up beyond what a 64-bit integer holds (about 9.2×10^18 minor units or points); narrow the period (from, to) or name a program")

// checked adds a report's figures (money.Checked) and answers
// ErrOutOfRange for an overflow.
type checked struct{ money.Checked }

// err is ErrOutOfRange after an overflow.
func (c *checked) err() error {
	if c.Err() != nil {
		return ErrOutOfRange
	}
	return nil
}

// outOfRange turns an overflow reported by storage or money arithmetic
// into ErrOutOfRange and leaves other errors alone.
func outOfRange(err error) error {
	if errors.Is(err, money.ErrOverflow) {
		return ErrOutOfRange.Wrap(err)
	}
	return err
}
