package importer

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// MaxListedErrors is how many rejected rows a summary lists; the error
// file lists the first MaxErrorRows of each reason.
const MaxListedErrors = 100

// Summary is what an import did. Every row read is counted once:
// RowsRead = LinesImported + LinesDuplicate + Σ Skipped + Σ Rejected.
type Summary struct {
	Format               Format         `json:"format"`
	DryRun               bool           `json:"dry_run"`
	RowsRead             int            `json:"rows_read"`
	LinesImported        int            `json:"lines_imported" doc:"Rows in events created (in a dry run: that would be created)"`
	LinesDuplicate       int            `json:"lines_duplicate" doc:"Rows in events received before"`
	EventsCreated        int            `json:"events_created"`
	InvoicesCreated      int            `json:"invoices_created"`
	ReturnsCreated       int            `json:"returns_created"`
	EventsDuplicate      int            `json:"events_duplicate"`
	OrganizationsCreated int            `json:"organizations_created"`
	Skipped              map[string]int `json:"skipped" doc:"Rows not imported by design, by reason"`
	Rejected             map[string]int `json:"rejected" doc:"Wrong rows, by reason"`
	Errors               []Rejection    `json:"errors" doc:"The first rejected or skipped rows, by row number"`
	ErrorsTotal          int            `json:"errors_total"`
}

// Balanced says the outcomes add up to the rows read.
func (s *Summary) Balanced() bool {
	n := s.LinesImported + s.LinesDuplicate
	for _, v := range s.Skipped {
		n += v
	}
	for _, v := range s.Rejected {
		n += v
	}
	return n == s.RowsRead
}

// count adds rows not imported to the summary.
func (s *Summary) count(rs []Rejection) {
	for _, r := range rs {
		if skipReasons[r.Reason] {
			s.Skipped[r.Reason]++
		} else {
			s.Rejected[r.Reason]++
		}
	}
}

func newSummary(f Format, dry bool, rows int) *Summary {
	return &Summary{Format: f, DryRun: dry, RowsRead: rows, Skipped: map[string]int{}, Rejected: map[string]int{}, Errors: []Rejection{}}
}

// finish counts the rows not imported by reason and lists the first, in
// row order; it returns those kept for the error file.
func (s *Summary) finish(rs *rejections) []Rejection {
	for reason, n := range rs.byReason {
		if skipReasons[reason] {
			s.Skipped[reason] += n
		} else {
			s.Rejected[reason] += n
		}
	}
	all := rs.sorted()
	s.ErrorsTotal = rs.total
	s.Errors = append(s.Errors, all[:min(len(all), MaxListedErrors)]...)
	return all
}

// WriteErrors writes the error file: row, reason, message, then the row's
// fields as read.
func WriteErrors(w io.Writer, header []string, rs []Rejection) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(append([]string{"row", "reason", "message"}, header...))
	for _, r := range rs {
		_ = cw.Write(append([]string{strconv.Itoa(r.Row), r.Reason, r.Message}, r.Fields...))
	}
	cw.Flush()
	return cw.Error()
}

func errEmpty() error {
	return errs.E(errs.Invalid, "empty_file", "the file has a header but no lines to import")
}
