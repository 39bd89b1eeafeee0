package importer

import "encoding/binary"

// decoder reads the values of a spill record in the order put wrote them.
// A record cut short (the disk failed under it) sets err and reads zeros.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) int() int64 {
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return v
}

// bytes reads a length-prefixed value without copying it.
func (d *decoder) bytes() []byte {
	n := d.int()
	if n < 0 || n > int64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string { return string(d.bytes()) }
func (d *decoder) skip()       { d.bytes() }

func (d *decoder) fail() {
	d.b = nil
	if d.err == nil {
		d.err = errCorrupt
	}
}
