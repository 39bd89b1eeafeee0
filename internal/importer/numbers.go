package importer

import (
	"errors"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

var errFraction = errors.New("not a whole number")

// parseQty parses a whole quantity; "6", "6.0" and "1 000" are fine, "2.5"
// is not.
func parseQty(s string, dec byte) (int64, error) {
	v, err := money.ParseDecimal(s, dec, 3)
	if err != nil {
		return 0, err
	}
	if v%1000 != 0 {
		return 0, errFraction
	}
	return v / 1000, nil
}
