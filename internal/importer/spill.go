package importer

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// spill is a temporary file that holds a file's good lines while it is
// imported, so that memory keeps what identifies each invoice rather than
// every line: each invoice line records where the previous line of its
// invoice lies, and the planner keeps where each invoice's last line lies.
type spill struct {
	f    *os.File
	name string // removed on close when it could not be unlinked at once
	w    *bufio.Writer
	size int64  // bytes written
	rec  []byte // encoding buffer
	win  []byte // read window
	wOff int64  // where win starts in the file
}

// spillWindow is how much one read of the spill brings in: an invoice's
// lines usually lie close together, so one read serves the whole chain.
const spillWindow = 64 << 10

func newSpill() (*spill, error) {
	f, err := os.CreateTemp("", "loyal-spill-*")
	if err != nil {
		return nil, err
	}
	s := &spill{f: f, w: bufio.NewWriterSize(f, spillWindow)}
	if os.Remove(f.Name()) != nil { // unlinked, nothing is left behind even if the process dies
		s.name = f.Name()
	}
	return s, nil
}

func (s *spill) close() {
	_ = s.f.Close()
	if s.name != "" {
		_ = os.Remove(s.name)
	}
}

// put appends a line, the place of its invoice's previous line (-1 for
// none) and its fields as read, and returns where it lies. A write error
// is reported by flush.
func (s *spill) put(l *line, prev int64, raw []string) int64 {
	b := binary.AppendVarint(s.rec[:0], prev)
	b = binary.AppendVarint(b, int64(l.row))
	b = binary.AppendVarint(b, l.qty)
	b = binary.AppendVarint(b, l.price)
	b = binary.AppendVarint(b, l.cost)
	for _, v := range [...]string{l.org, l.sku, l.category, l.currency} {
		b = appendString(b, v)
	}
	b = binary.AppendVarint(b, int64(len(raw)))
	for _, v := range raw {
		b = appendString(b, v)
	}
	off := s.size
	var hdr [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(hdr[:], uint64(len(b)))
	_, _ = s.w.Write(hdr[:n])
	_, _ = s.w.Write(b)
	s.size += int64(n + len(b))
	s.rec = b
	return off
}

func appendString(b []byte, v string) []byte {
	return append(binary.AppendVarint(b, int64(len(v))), v...)
}

// flush ends the writing; reads follow.
func (s *spill) flush() error { return s.w.Flush() }

// line reads back the line at off (without its fields) and the place of
// its invoice's previous line.
func (s *spill) line(off int64) (line, int64, error) {
	d, err := s.record(off)
	if err != nil {
		return line{}, 0, err
	}
	prev := d.int()
	l := line{row: int32(d.int()), qty: d.int(), price: d.int(), cost: d.int()}
	l.org, l.sku, l.category, l.currency = d.str(), d.str(), d.str(), d.str()
	return l, prev, d.err
}

// fields reads back the fields of the line at off, as read from the file.
func (s *spill) fields(off int64) ([]string, error) {
	d, err := s.record(off)
	if err != nil {
		return nil, err
	}
	for range 5 {
		d.int()
	}
	for range 4 {
		d.skip()
	}
	raw := make([]string, max(0, min(d.int(), int64(len(d.b)))))
	for i := range raw {
		raw[i] = d.str()
	}
	return raw, d.err
}

func (s *spill) record(off int64) (decoder, error) {
	head, err := s.at(off, int(min(binary.MaxVarintLen64, s.size-off)))
	if err != nil {
		return decoder{}, err
	}
	n, k := binary.Uvarint(head)
	if k <= 0 {
		return decoder{}, errCorrupt
	}
	b, err := s.at(off+int64(k), int(n))
	return decoder{b: b}, err
}

var errCorrupt = errors.New("importer: the temporary file of lines is corrupt")

// at returns n bytes at off, from the window when it holds them.
func (s *spill) at(off int64, n int) ([]byte, error) {
	if off >= s.wOff && off+int64(n) <= s.wOff+int64(len(s.win)) {
		return s.win[off-s.wOff : off-s.wOff+int64(n)], nil
	}
	if n > spillWindow/2 {
		b := make([]byte, n)
		_, err := s.f.ReadAt(b, off)
		return b, err
	}
	if s.win == nil {
		s.win = make([]byte, spillWindow)
	}
	// Centred on off: a chain is read backwards, the next invoice forwards.
	start := max(0, off-spillWindow/2)
	k, err := s.f.ReadAt(s.win[:spillWindow], start)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	s.win, s.wOff = s.win[:k], start
	if off+int64(n) > start+int64(k) {
		return nil, errCorrupt
	}
	return s.win[off-start : off-start+int64(n)], nil
}
