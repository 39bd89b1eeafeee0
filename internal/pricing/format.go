package pricing

// The reasons are built by appending to byte slices rather than with
// fmt: a cart is priced on every checkout view, and fmt's reflection would
// be most of its cost.

// scratch is the size of the stack buffers reasons are built in; a longer
// reason just grows onto the heap.
const scratch = 160

// appendMoney appends v minor units as a decimal amount with dec decimals
// and thousands separators: 2200000 with 2 decimals is "22,000.00".
func appendMoney(b []byte, v int64, dec int) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = -u // two's complement: right for math.MinInt64 too
	}
	pow := uint64(1)
	for range dec {
		pow *= 10
	}
	b = appendGrouped(b, u/pow)
	if dec > 0 {
		b = appendDigits(append(b, '.'), u%pow, dec)
	}
	return b
}

// appendDigits appends u in decimal, zero-padded to at least width digits.
// It formats into an array of its own rather than with strconv, whose
// buffer would escape to the heap.
func appendDigits(b []byte, u uint64, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for u > 0 || width > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		width--
	}
	return append(b, buf[i:]...)
}

// appendGrouped appends u with a comma every three digits.
func appendGrouped(b []byte, u uint64) []byte {
	var buf [20]byte
	s := appendDigits(buf[:0], u, 0)
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return b
}

// appendCount appends a count of units with thousands separators.
func appendCount(b []byte, n int64) []byte { return appendGrouped(b, uint64(n)) }

// appendPercent appends a rate in basis points as a percentage with no
// trailing zeros: 500 is "5%", 750 is "7.5%", 1 is "0.01%".
func appendPercent(b []byte, bp int64) []byte {
	b = appendDigits(b, uint64(bp/100), 0)
	if r := bp % 100; r != 0 {
		b = append(b, '.', byte('0'+r/10))
		if r%10 != 0 {
			b = append(b, byte('0'+r%10))
		}
	}
	return append(b, '%')
}

// appendOff appends "5% off".
func appendOff(b []byte, bp int64) []byte { return append(appendPercent(b, bp), " off"...) }

// appendNth appends what an nth_item discount does, the way shops say it:
// "second item 50% off", "third item free", "every 5th item 20% off".
func appendNth(b []byte, n, bp int64) []byte {
	names := [...]string{2: "second", 3: "third", 4: "fourth"}
	if n < int64(len(names)) {
		b = append(append(b, names[n]...), " item "...)
	} else {
		b = appendDigits(append(b, "every "...), uint64(n), 0)
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
