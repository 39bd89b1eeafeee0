// Package jsonscan walks JSON text without decoding it, to find what
// encoding/json accepts without a word but an API must refuse: an object
// key given twice (the last one silently wins; encoding/json matches keys
// to fields without regard to case, so "Name" repeats "name"), and
// strings holding NUL
// or bidirectional control characters (which PostgreSQL cannot store, or
// which disguise how text reads). It also names the field at a byte
// offset, so that a decoding error can say which field is wrong.
//
// The walk assumes nothing about its input: text that is not JSON ends it
// early without a finding, and the decoder that runs next reports it.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Finding codes.
const (
	DuplicateKey = "duplicate_key"
	NUL          = "nul_character"
	BidiControl  = "bidi_control"
)

// Finding is what Check found wrong, and where.
type Finding struct {
	Path string // the field: "name", "lines[2].sku", "" for the whole document
	Code string // DuplicateKey, NUL or BidiControl
	Key  string // the duplicated key
}

// maxDepth matches encoding/json's nesting limit.
const maxDepth = 10000

// Check returns the first finding in data, if any.
func Check(data []byte) (Finding, bool) {
	w := walker{data: data, stop: -1}
	w.value(0)
	return w.found, w.found.Code != ""
}

// PathAt names the innermost value of data that holds the byte before
// offset (encoding/json reports type errors at the offset just past the
// value), e.g. "lines[1].qty"; "" when there is none.
func PathAt(data []byte, offset int64) string {
	if offset <= 0 || offset > int64(len(data)) {
		return ""
	}
	w := walker{data: data, stop: int(offset) - 1}
	w.value(0)
	return strings.TrimPrefix(w.at, ".")
}

// walker is one walk over a document: where it is, the path of the value
// it is in, and what it found. It allocates only to report: keys are
// compared as the bytes they are in the document.
type walker struct {
	data  []byte
	pos   int
	path  []segment
	keys  [][]byte // the keys of the objects being walked, innermost last
	stop  int      // PathAt's target offset, -1 for Check
	at    string   // PathAt's answer
	found Finding
	bad   bool // not JSON, or a finding: stop
}

// segment is one step of a path: an object's key (raw, as in the
// document) or an array's index.
type segment struct {
	key   []byte
	index int
}

func (w *walker) done() bool { return w.bad || w.at != "" }

func (w *walker) fail() { w.bad = true }

func (w *walker) report(code, key string) {
	w.found = Finding{Path: w.pathString(), Code: code, Key: key}
	w.bad = true
}

func (w *walker) pathString() string {
	var b strings.Builder
	for _, s := range w.path {
		if s.key == nil {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(decodeKey(s.key))
	}
	return b.String()
}

func (w *walker) space() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

// value walks one value at the current position.
func (w *walker) value(depth int) {
	w.space()
	if w.pos >= len(w.data) || depth > maxDepth {
		w.fail()
		return
	}
	start := w.pos
	switch c := w.data[w.pos]; {
	case c == '{':
		w.object(depth)
	case c == '[':
		w.array(depth)
	case c == '"':
		w.str()
	default:
		w.scalar()
	}
	if w.stop >= 0 && !w.bad && w.at == "" && start <= w.stop && w.stop < w.pos {
		w.at = "." + w.pathString() // never "", so that done() stops the walk
	}
}

func (w *walker) object(depth int) {
	w.pos++ // {
	first := len(w.keys)
	defer func() { w.keys = w.keys[:first] }()
	var set map[string]bool // the keys of an object past smallObject of them
	for i := 0; !w.done(); i++ {
		w.space()
		if w.pos < len(w.data) && w.data[w.pos] == '}' && i == 0 {
			w.pos++
			return
		}
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			w.fail()
			return
		}
		raw := w.str()
		if w.done() {
			return
		}
		w.path = append(w.path, segment{key: raw})
		if w.seen(&set, first, raw) {
			w.report(DuplicateKey, decodeKey(raw))
			return
		}
		w.space()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			w.fail()
			return
		}
		w.pos++
		w.value(depth + 1)
		w.path = w.path[:len(w.path)-1]
		if w.done() || !w.next('}') {
			return
		}
	}
}

// smallObject is how many keys of an object are compared one by one;
// beyond, they go in a set.
const smallObject = 16

// seen records an object's key (its keys so far are w.keys[first:], or
// set) and reports whether the object already had it, in any letter case.
func (w *walker) seen(set *map[string]bool, first int, raw []byte) bool {
	if *set != nil {
		k := fold(decodeKey(raw))
		dup := (*set)[k]
		(*set)[k] = true
		return dup
	}
	for _, k := range w.keys[first:] {
		if sameKey(k, raw) {
			return true
		}
	}
	w.keys = append(w.keys, raw)
	if len(w.keys)-first > smallObject {
		*set = make(map[string]bool, 2*smallObject)
		for _, k := range w.keys[first:] {
			(*set)[fold(decodeKey(k))] = true
		}
	}
	return false
}

// sameKey reports whether two raw keys name the same field for
// encoding/json: equal without regard to case once decoded.
func sameKey(a, b []byte) bool {
	if plain(a) && plain(b) {
		return bytes.EqualFold(a, b)
	}
	return fold(decodeKey(a)) == fold(decodeKey(b))
}

// plain reports a key whose bytes are its text: no escapes, valid UTF-8.
func plain(k []byte) bool { return bytes.IndexByte(k, '\\') < 0 && utf8.Valid(k) }

func (w *walker) array(depth int) {
	w.pos++ // [
	for i := 0; !w.done(); i++ {
		w.space()
		if w.pos < len(w.data) && w.data[w.pos] == ']' && i == 0 {
			w.pos++
			return
		}
		w.path = append(w.path, segment{index: i})
		w.value(depth + 1)
		w.path = w.path[:len(w.path)-1]
		if w.done() || !w.next(']') {
			return
		}
	}
}

// next steps over a comma (true: another member follows) or the closing
// bracket (false).
func (w *walker) next(closing byte) bool {
	w.space()
	if w.pos >= len(w.data) {
		w.fail()
		return false
	}
	switch w.data[w.pos] {
	case ',':
		w.pos++
		return true
	case closing:
		w.pos++
		return false
	}
	w.fail()
	return false
}

// str steps over a string, checking its characters, and returns its raw
// bytes between the quotes.
func (w *walker) str() []byte {
	w.pos++ // "
	start := w.pos
	for w.pos < len(w.data) {
		c := w.data[w.pos]
		switch {
		case c == '"':
			w.pos++
			return w.data[start : w.pos-1]
		case c == '\\':
			if w.pos+1 >= len(w.data) {
				w.fail()
				return nil
			}
			if w.data[w.pos+1] == 'u' {
				if w.pos+6 > len(w.data) {
					w.fail()
					return nil
				}
				r, err := strconv.ParseUint(string(w.data[w.pos+2:w.pos+6]), 16, 32)
				if err != nil {
					w.fail()
					return nil
				}
				if w.badRune(rune(r)) {
					return nil
				}
				w.pos += 6
				continue
			}
			w.pos += 2
		case c == 0:
			w.report(NUL, "")
			return nil
		case c == 0xE2 || c == 0xD8:
			if r, n := bidiAt(w.data[w.pos:]); n > 0 && w.badRune(r) {
				return nil
			}
			w.pos++
		default:
			w.pos++
		}
	}
	w.fail()
	return nil
}

// badRune reports (and records) a character no string may hold.
func (w *walker) badRune(r rune) bool {
	switch {
	case r == 0:
		w.report(NUL, "")
	case isBidi(r):
		w.report(BidiControl, "")
	default:
		return false
	}
	return true
}

// isBidi reports the bidirectional control characters (Unicode's
// Bidi_Control property): U+061C, U+200E–U+200F, U+202A–U+202E,
// U+2066–U+2069.
func isBidi(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// bidiAt decodes the UTF-8 of a possible bidi control at the start of b.
func bidiAt(b []byte) (rune, int) {
	switch {
	case len(b) >= 2 && b[0] == 0xD8 && b[1] == 0x9C:
		return 0x061C, 2
	case len(b) >= 3 && b[0] == 0xE2 && (b[1] == 0x80 || b[1] == 0x81) && b[2] >= 0x80 && b[2] <= 0xBF:
		return 0x2000 | rune(b[1]&0x0F)<<6 | rune(b[2]&0x3F), 3
	}
	return 0, 0
}

// scalar steps over a number, true, false or null.
func (w *walker) scalar() {
	start := w.pos
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if w.pos == start {
				w.fail()
			}
			return
		}
		w.pos++
	}
	if w.pos == start {
		w.fail()
	}
}

// fold maps a key to a form equal for keys that encoding/json takes for
// the same struct field: it matches names without regard to case, so
// "Name" after "name" overwrites it just as a second "name" does.
func fold(key string) string {
	ascii := true
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(key)
	}
	return strings.Map(func(r rune) rune { // the smallest rune of r's case-folding orbit
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, key)
}

// decodeKey decodes a key's raw bytes as encoding/json does (escapes
// resolved, invalid UTF-8 replaced); such keys are rare.
func decodeKey(raw []byte) string {
	if plain(raw) {
		return string(raw)
	}
	var s string
	if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s) != nil {
		return string(raw)
	}
	return s
}
