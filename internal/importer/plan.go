package importer

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

// planner turns a file into events without holding its lines: the first
// pass (scan) writes the good lines to a spill and keeps, per invoice,
// what its first line says and where its last line lies; the second
// (group) reads each invoice back to reject its wrong rows and to match
// the credit lines; ingestion reads each invoice back once more, a batch
// at a time, in time order. Memory holds the invoices' identities, the
// credit lines, the kept rejections and one batch of events.
type planner struct {
	source  string
	sp      *spill
	byNo    map[string]int32 // invoice number → index in invs
	invs    []invoiceRef     // in order of first appearance
	credits []line           // without their fields (in the spill)
	names   map[string]string
	errs    *rejections
	rows    int
	// Set by group: the file's returns, the credit lines without an
	// invoice in the file, and every event of the file in time order.
	returns   []Planned
	unmatched []line
	order     []eventKey
	// held counts the lines held in memory (credit lines, the lines of
	// the invoices read back); peak is its most.
	held, peak int
}

// invoiceRef is what the planner keeps of an invoice between passes.
type invoiceRef struct {
	no, org, currency, country string
	at                         time.Time
	last                       int64 // where its last line lies in the spill
	rows                       int32 // rows it carries (set by group)
	todo                       bool  // to be ingested (set by the run)
}

func newPlanner(source string, keep int) (*planner, error) {
	sp, err := newSpill()
	if err != nil {
		return nil, err
	}
	return &planner{source: source, sp: sp, byNo: map[string]int32{}, names: map[string]string{}, errs: newRejections(keep)}, nil
}

func (p *planner) close() { p.sp.close() }

func (p *planner) hold(n int) {
	p.held += n
	p.peak = max(p.peak, p.held)
}

// scan reads every record of t, rejecting the wrong rows and spilling the
// good ones.
func (p *planner) scan(ctx context.Context, t Table, mp *mapper, progress Progress) error {
	for row := 2; ; row++ { // row 1 is the header
		rec, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		p.rows++
		if err := p.add(rec, row, mp); err != nil {
			return err
		}
		if p.rows%100_000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if progress != nil {
				progress("read", p.rows, 0)
			}
		}
	}
	if p.rows == 0 {
		return errEmpty()
	}
	return nil
}

func (p *planner) add(rec []string, row int, mp *mapper) error {
	l, reason, msg := mp.row(rec, row)
	switch {
	case reason != "":
		return p.errs.add(row, reason, msg, func() ([]string, error) { return slices.Clone(rec), nil })
	case l.credit:
		l.off = p.sp.put(&l, -1, rec)
		p.credits = append(p.credits, l)
		p.hold(1)
	default:
		i, ok := p.byNo[l.invoice]
		if !ok {
			i = int32(len(p.invs))
			no := strings.Clone(l.invoice) // not the whole record's string
			p.byNo[no] = i
			p.invs = append(p.invs, invoiceRef{no: no, org: p.name(l.org), currency: p.name(l.currency), country: p.name(l.country), at: l.at, last: -1})
		}
		p.invs[i].last = p.sp.put(&l, p.invs[i].last, rec)
	}
	return nil
}

// name returns one copy of a customer, currency or country.
func (p *planner) name(s string) string {
	if v, ok := p.names[s]; ok {
		return v
	}
	v := strings.Clone(s)
	p.names[v] = v
	return v
}

// fields reads a spilled row's fields.
func (p *planner) fields(off int64) func() ([]string, error) {
	return func() ([]string, error) { return p.sp.fields(off) }
}
