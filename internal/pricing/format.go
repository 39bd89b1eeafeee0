package pricing

import (
	"strconv"

	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// The reasons are built by appending to byte slices rather than with
// fmt: a cart is priced on every checkout view, and fmt's reflection would
// be most of its cost.

// scratch is the size of the stack buffers reasons are built in; a longer
// reason just grows onto the heap.
const scratch = 160

// appendCount appends a count of units with thousands separators.
func appendCount(b []byte, n int64) []byte { return money.AppendGrouped(b, uint64(n)) }

// appendOff appends "5% off".
func appendOff(b []byte, bp int64) []byte { return append(money.AppendPercent(b, bp), " off"...) }

// appendNth appends what an nth_item discount does, the way shops say it:
// "second item 50% off", "third item free", "every 5th item 20% off".
func appendNth(b []byte, n, bp int64) []byte {
	names := [...]string{2: "second", 3: "third", 4: "fourth"}
	if n < int64(len(names)) {
		b = append(append(b, names[n]...), " item "...)
	} else {
		b = strconv.AppendInt(append(b, "every "...), n, 10)
		b = append(append(b, ordinal(n)...), " item "...)
	}
	if bp == 10000 {
		return append(b, "free"...)
	}
	return appendOff(b, bp)
}

// ordinal is the English suffix of n: 5th, 21st, 22nd, 23rd, 111th.
func ordinal(n int64) string {
	if n%100 >= 11 && n%100 <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// label is the prefix of a discount's reasons: the caller's Reason, else
// its Name, else nothing.
func label(d *Discount) string {
	if d.Reason != "" {
		return d.Reason
	}
	return d.Name
}

// appendLabel appends the label and its separator, if there is a label.
func appendLabel(b []byte, d *Discount) []byte {
	if l := label(d); l != "" {
		b = append(append(b, l...), " — "...)
	}
	return b
}

// title names a discount in another discount's reason.
func title(d *Discount) string {
	if d.Name != "" {
		return d.Name
	}
	return d.ID
}
