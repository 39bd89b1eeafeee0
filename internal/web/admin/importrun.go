package admin

import (
	"net/http"
	"sort"

	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/web"
)

var (
	importRunPage    = web.Page(files, "importrun.html")
	importRecordPage = web.Page(files, "importrecord.html")
)

// runView is a run's progress, then its outcome.
type runView struct {
	ID          string
	Stage       string
	Done, Total int
	Finished    bool
	Error       string
	Import      importer.Import
}

// Percent is how far the ingestion is, 0–100.
func (v runView) Percent() int {
	if v.Total <= 0 {
		return 0
	}
	return v.Done * 100 / v.Total
}

// recordView is an import's record.
type recordView struct {
	Import importer.Import
	Counts []count // skipped and rejected rows by reason
}

type count struct {
	Reason   string
	Rejected bool
	N        int
}

func (c *Console) runOf(r *http.Request) (runView, error) {
	run, err := c.jobs.run(r.PathValue("id"), web.Principal(r).TenantID)
	if err != nil {
		return runView{}, err
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	v := runView{ID: run.id, Stage: run.stage, Done: run.done, Total: run.total, Finished: run.stage == "done", Import: run.res.Import}
	if run.err != nil {
		v.Error = "Something went wrong on our side; it has been logged."
		if e := errs.As(run.err); e != nil && e.Kind != errs.Internal {
			v.Error = e.Message
		}
	}
	return v, nil
}

// importRun is the page of a run in progress; its "progress" fragment is
// polled until the run is done.
func (c *Console) importRun(w http.ResponseWriter, r *http.Request) {
	v, err := c.runOf(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, http.StatusOK, importRunPage, c.view(r, "imports", "imports.run_title", v))
}

func (c *Console) importProgress(w http.ResponseWriter, r *http.Request) {
	v, err := c.runOf(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Fragment(w, r, importRunPage, "progress", c.view(r, "imports", "imports.run_title", v))
}

// importRecord is a finished import: its counts and first rejected rows.
func (c *Console) importRecord(w http.ResponseWriter, r *http.Request) {
	im, err := c.svc.Imports.Get(r.Context(), web.Principal(r), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := recordView{Import: im}
	for reason, n := range im.Summary.Skipped {
		v.Counts = append(v.Counts, count{Reason: reason, N: n})
	}
	for reason, n := range im.Summary.Rejected {
		v.Counts = append(v.Counts, count{Reason: reason, N: n, Rejected: true})
	}
	sort.Slice(v.Counts, func(i, j int) bool { return v.Counts[i].N > v.Counts[j].N })
	c.kit.Render(w, r, http.StatusOK, importRecordPage, c.view(r, "imports", "imports.record_title", v))
}

// importErrors is the error file: every row not imported with the row as
// read, while the run is kept here; afterwards the first rows the record
// lists (without their fields).
func (c *Console) importErrors(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	im, err := c.svc.Imports.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	header, rows := []string(nil), im.Summary.Errors
	if run := c.jobs.byImport(im.ID, p.TenantID); run != nil {
		header, rows = run.res.Header, run.res.Rejections
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="import-`+im.ID+`-errors.csv"`)
	if err := importer.WriteErrors(w, header, rows); err != nil {
		c.kit.Log.ErrorContext(r.Context(), "error file", "err", err)
	}
}

// N widens a count for the locale's number format.
func (runView) N(n int) int64 { return int64(n) }
