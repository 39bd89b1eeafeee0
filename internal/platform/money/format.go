package money

// Formatting for reasons shown to people. The engine and pricing write a
// reason for every rule that fires and every discount, so these append to
// a caller's buffer instead of going through fmt.

// AppendAmount appends v minor units as a decimal amount with dec decimals
// and thousands separators: 2200000 with 2 decimals is "22,000.00".
func AppendAmount(b []byte, v int64, dec int) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = -u // two's complement: right for math.MinInt64 too
	}
	pow := uint64(1)
	for range dec {
		pow *= 10
	}
	b = AppendGrouped(b, u/pow)
	if dec > 0 {
		b = appendDigits(append(b, '.'), u%pow, dec)
	}
	return b
}

// AppendGrouped appends u with a comma every three digits.
func AppendGrouped(b []byte, u uint64) []byte {
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

// AppendPercent appends a rate in basis points as a percentage without
// trailing zeros: 500 is "5%", 750 is "7.5%", 1 is "0.01%", -550 "-5.5%".
func AppendPercent(b []byte, bp int64) []byte {
	u := uint64(bp)
	if bp < 0 {
		b = append(b, '-')
		u = -u
	}
	b = appendDigits(b, u/100, 0)
	if r := u % 100; r != 0 {
		b = append(b, '.', byte('0'+r/10))
		if r%10 != 0 {
			b = append(b, byte('0'+r%10))
		}
	}
	return append(b, '%')
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
