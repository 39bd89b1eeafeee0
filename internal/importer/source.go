package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Table is a file's rows: a header, then records, streamed.
type Table interface {
	// Header is the first row: the column names.
	Header() []string
	// Next returns the next record (io.EOF after the last). The slice may
	// be reused by the following call.
	Next() ([]string, error)
	// Serial says numbers in date columns are spreadsheet serial dates.
	Serial() bool
	Close() error
}

// Format describes how a file was read, for the summary.
type Format struct {
	Kind      string `json:"kind"`                // csv or xlsx
	Encoding  string `json:"encoding,omitempty"`  // utf-8 or windows-1251
	Delimiter string `json:"delimiter,omitempty"` // as found
}

const sniffSize = 1 << 20

// Open sniffs what r holds and returns its table: XLSX by its zip
// signature, otherwise CSV in UTF-8 (with or without BOM) or
// Windows-1251. Anything else is a clear error of kind Invalid.
func Open(r io.Reader, m *Mapping, lim Limits) (Table, Format, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, Format{}, err
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, bom))) == 0 {
		return nil, Format{}, errs.E(errs.Invalid, "empty_file", "the file is empty: send a CSV or XLSX file with a header row and at least one line")
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		t, err := openXLSX(br, m, lim)
		return t, Format{Kind: "xlsx"}, err
	}
	if what := binaryKind(head); what != "" {
		return nil, Format{}, errs.E(errs.Invalid, "unsupported_file", "the file is %s, not a CSV or XLSX file: export the data as CSV (any delimiter) or XLSX", what)
	}
	return openCSV(br, head, m)
}

var bom = []byte("\xEF\xBB\xBF")

// binaryKind names what a file that is not text seems to be ("" for text).
func binaryKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0")):
		return "an old Excel (.xls) or other OLE document — save it as .xlsx or CSV"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "a PDF document"
	case bytes.HasPrefix(head, []byte("\x1F\x8B")):
		return "gzip-compressed — unpack it first"
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return "binary data"
		}
		if c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F {
			ctl++
		}
	}
	if ctl*100 > len(head) {
		return "binary data"
	}
	return ""
}

func openCSV(br *bufio.Reader, head []byte, m *Mapping) (Table, Format, error) {
	f := Format{Kind: "csv", Encoding: strings.ToLower(m.Encoding)}
	var r io.Reader = br
	if bytes.HasPrefix(head, bom) {
		_, _ = br.Discard(len(bom))
		head = head[len(bom):]
		if f.Encoding == "" {
			f.Encoding = "utf-8"
		}
	}
	if f.Encoding == "" {
		f.Encoding = "windows-1251"
		if validUTF8Prefix(head) {
			f.Encoding = "utf-8"
		}
	}
	switch f.Encoding {
	case "utf-8", "utf8":
		f.Encoding = "utf-8"
	case "windows-1251", "cp1251":
		f.Encoding = "windows-1251"
		r = charmap.Windows1251.NewDecoder().Reader(br)
		head, _ = charmap.Windows1251.NewDecoder().Bytes(head)
	default:
		return nil, f, errs.InvalidField("encoding", "unknown_encoding", "encoding %q is not supported: use utf-8 or windows-1251", m.Encoding)
	}
	comma, err := delimiter(head, m.Delimiter)
	if err != nil {
		return nil, f, err
	}
	f.Delimiter = string(comma)
	cr := csv.NewReader(r)
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = comma, -1, true, true
	hdr, err := cr.Read()
	if err != nil {
		return nil, f, errs.E(errs.Invalid, "unreadable_header", "the first line of the file could not be read as a CSV header: %v", err).Wrap(err)
	}
	return &csvTable{r: cr, header: trimAll(hdr)}, f, nil
}

// validUTF8Prefix says whether head is UTF-8, allowing a rune cut at its end.
func validUTF8Prefix(head []byte) bool {
	for i := 0; i < utf8.UTFMax && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return true
		}
		head = head[:len(head)-1]
	}
	return utf8.Valid(head)
}

// delimiter picks, among , ; TAB and |, the one that splits the header
// line (outside quotes) most often, unless the mapping names one.
func delimiter(head []byte, given string) (rune, error) {
	switch given {
	case ",", ";", "|":
		return rune(given[0]), nil
	case "\t", "tab", "TAB", `\t`:
		return '\t', nil
	case "":
	default:
		return 0, errs.InvalidField("delimiter", "unknown_delimiter", "delimiter %q is not one of , ; tab |", given)
	}
	line := head
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(line) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best, n := ',', 0
	for _, c := range []rune{',', ';', '\t', '|'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	if n == 0 {
		return 0, errs.E(errs.Invalid, "no_columns", "the first line has no column delimiter (, ; tab or |): the file must start with a header row naming its columns")
	}
	return best, nil
}

type csvTable struct {
	r      *csv.Reader
	header []string
}

func (t *csvTable) Header() []string { return t.header }
func (t *csvTable) Serial() bool     { return false }
func (t *csvTable) Close() error     { return nil }

func (t *csvTable) Next() ([]string, error) {
	rec, err := t.r.Read()
	if err != nil && !errors.Is(err, io.EOF) { // the cause is kept: a reader's own error (an upload's limit) shows through
		return nil, errs.E(errs.Invalid, "unreadable_csv", "the file could not be read as CSV: %v", err).Wrap(err)
	}
	return rec, err
}

func trimAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.TrimSpace(v)
	}
	return out
}
