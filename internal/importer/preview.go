package importer

import (
	"errors"
	"io"
	"slices"
	"time"
)

// PreviewRow is one of a file's first rows: as read, and as the mapping
// parses it (or why it would not be imported).
type PreviewRow struct {
	Row      int
	Fields   []string
	Reason   string // "" when the row maps
	Message  string
	Customer string
	Invoice  string
	Date     time.Time
	SKU      string
	Qty      int64 // negative for a credit line
	Price    int64 // unit price, minor units of Currency
	Currency string
	Digits   int // minor digits of the currency, to show Price
}

// Preview is what a file looks like before it is imported.
type Preview struct {
	Format Format
	Header []string
	Rows   []PreviewRow
	// MappingErr is what is wrong with the mapping for this file (nil when
	// the rows could be parsed).
	MappingErr error
}

// PreviewFile reads the header and the first n rows of a file and parses
// them by the mapping, without grouping them or writing anything. An
// unreadable file is an error; a mapping that does not fit the file is
// reported in MappingErr with the rows as read.
func PreviewFile(r io.Reader, m Mapping, n int, now time.Time) (Preview, error) {
	t, format, err := Open(r, &m, Limits{})
	if err != nil {
		return Preview{}, err
	}
	defer t.Close()
	pv := Preview{Format: format, Header: slices.Clone(t.Header())}
	var mp *mapper
	if pv.MappingErr = m.Check(); pv.MappingErr == nil {
		mp, pv.MappingErr = newMapper(&m, t.Header(), t.Serial(), now)
	}
	for row := 2; row < n+2; row++ {
		rec, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Preview{}, err
		}
		pr := PreviewRow{Row: row, Fields: slices.Clone(rec)}
		if mp != nil {
			pr.parse(mp, rec, row)
		}
		pv.Rows = append(pv.Rows, pr)
	}
	if len(pv.Rows) == 0 {
		return Preview{}, errEmpty()
	}
	return pv, nil
}

func (pr *PreviewRow) parse(mp *mapper, rec []string, row int) {
	l, reason, msg := mp.row(rec, row)
	pr.Reason, pr.Message = reason, msg
	if reason != "" {
		return
	}
	pr.Customer, pr.Invoice, pr.Date, pr.SKU = l.org, l.invoice, l.at, l.sku
	pr.Qty, pr.Price, pr.Currency, pr.Digits = l.qty, l.price, l.currency, mp.digits
	if l.credit {
		pr.Qty = -l.qty
	}
}
