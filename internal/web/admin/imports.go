package admin

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var importsPage = web.Page(files, "imports.html")

// imports is the imports page: the upload form and the imports so far.
type imports struct {
	Rows     []importer.Import
	Next     string
	Mappings []importer.SavedMapping
	Form     *web.Form
}

func (c *Console) importRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/imports", c.imports)
	m.HandleFunc("POST "+Root+"/imports", c.uploadImport)
	m.HandleFunc("GET "+Root+"/import-uploads/{id}", c.importMapping)
	m.HandleFunc("POST "+Root+"/import-uploads/{id}", c.mapImport)
	m.HandleFunc("GET "+Root+"/import-runs/{id}", c.importRun)
	m.HandleFunc("GET "+Root+"/import-runs/{id}/progress", c.importProgress)
	m.HandleFunc("GET "+Root+"/imports/{id}", c.importRecord)
	m.HandleFunc("GET "+Root+"/imports/{id}/errors.csv", c.importErrors)
}

func (c *Console) imports(w http.ResponseWriter, r *http.Request) {
	c.showImports(w, r, web.NewForm(), http.StatusOK)
}

func (c *Console) showImports(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	p := web.Principal(r)
	req, err := page.Parse(r.URL.Query().Get("cursor"), 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	res, err := c.svc.Imports.List(r.Context(), p, req)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	d := imports{Rows: res.Items, Form: f}
	if res.Next != "" {
		d.Next = Root + "/imports?cursor=" + res.Next
	}
	if ms, err := c.svc.Imports.ListMappings(r.Context(), p, page.Request{Limit: 100}); err == nil {
		d.Mappings = ms.Items
	}
	c.kit.Render(w, r, status, importsPage, c.view(r, "imports", "imports.title", d))
}

// uploadImport keeps the uploaded file and goes on to its mapping. The
// file is streamed to a temporary file, never held in memory whole.
func (c *Console) uploadImport(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	if err := p.Can(access.IngestEvents); err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.NewForm()
	f.Set("file", "")
	part, mapping, err := filePart(r)
	if err == nil {
		var u *upload
		u, err = c.jobs.keep(p.TenantID, p.StaffID, filepath.Base(part.FileName()), part, c.kit.Clock.Now())
		if err == nil {
			http.Redirect(w, r, Root+"/import-uploads/"+u.id+"?mapping="+mapping, http.StatusSeeOther)
			return
		}
	}
	c.showImports(w, r, f, f.Fail(err, nil))
}

// filePart reads the multipart form up to its file: the saved mapping to
// start from comes before it.
func filePart(r *http.Request) (*multipart.Part, string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", errs.InvalidField("file", "required", "choose a CSV or XLSX file to upload")
	}
	mapping := ""
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) || err != nil {
			return nil, "", errs.InvalidField("file", "required", "choose a CSV or XLSX file to upload")
		}
		switch part.FormName() {
		case "mapping":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			mapping = string(b)
		case "file":
			if part.FileName() == "" {
				return nil, "", errs.InvalidField("file", "required", "choose a CSV or XLSX file to upload")
			}
			return part, url.QueryEscape(mapping), nil
		}
	}
}

// N widens a count for the locale's number format.
func (imports) N(n int) int64 { return int64(n) }
