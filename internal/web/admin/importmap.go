package admin

import (
	"context"
	"net/http"
	"os"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var importMapPage = web.Page(files, "importmap.html")

// importMap is the mapping page of an uploaded file: the mapping's
// fields, the first rows as parsed, and the run's options.
type importMap struct {
	Name     string
	Size     int64
	Form     *web.Form
	Columns  []web.Option // "" and the file's columns
	Mappings []importer.SavedMapping
	Preview  importer.Preview
}

// columnFields are the mapping's fields that name a column; textFields
// the others the form edits. The rest of a mapping comes from the saved
// one it starts from.
var (
	columnFields = []string{"organization", "invoice", "date", "sku", "quantity", "unit_price", "line_amount", "currency", "category", "cost", "country", "type"}
	textFields   = []string{"fixed_currency", "date_format", "timezone", "credit_prefix"}
)

func mappingField(m *importer.Mapping, name string) *string {
	return map[string]*string{"organization": &m.Organization, "invoice": &m.Invoice, "date": &m.Date, "sku": &m.SKU,
		"quantity": &m.Quantity, "unit_price": &m.UnitPrice, "line_amount": &m.LineAmount, "currency": &m.Currency,
		"category": &m.Category, "cost": &m.Cost, "country": &m.Country, "type": &m.Type, "fixed_currency": &m.FixedCurrency,
		"date_format": &m.DateFormat, "timezone": &m.Timezone, "credit_prefix": &m.CreditPrefix}[name]
}

// baseMapping is the saved mapping a form starts from (the Online Retail
// layout when none is named).
func (c *Console) baseMapping(ctx context.Context, p access.Principal, ref string) (importer.Mapping, error) {
	if ref == "" {
		return importer.RetailMapping(), nil
	}
	saved, err := c.svc.Imports.GetMapping(ctx, p, ref)
	return saved.Mapping, err
}

// importMapping shows an upload with the mapping it starts from.
func (c *Console) importMapping(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	u, err := c.jobs.upload(r.PathValue("id"), p.TenantID, p.StaffID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	base := r.URL.Query().Get("mapping")
	m, err := c.baseMapping(r.Context(), p, base)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.NewForm()
	f.Set("base", base)
	f.Set("name", "")
	for _, name := range append(columnFields, textFields...) {
		f.Set(name, *mappingField(&m, name))
	}
	c.showMapping(w, r, u, f, m, http.StatusOK)
}

// formMapping is the base mapping with the form's fields.
func (c *Console) formMapping(ctx context.Context, p access.Principal, f *web.Form) (importer.Mapping, error) {
	m, err := c.baseMapping(ctx, p, f.Get("base"))
	if err != nil {
		return m, err
	}
	for _, name := range append(columnFields, textFields...) {
		*mappingField(&m, name) = f.Get(name)
	}
	return m, nil
}

// showMapping renders the page with a preview of the file by m; the
// mapping's problems with the file go next to their fields.
func (c *Console) showMapping(w http.ResponseWriter, r *http.Request, u *upload, f *web.Form, m importer.Mapping, status int) {
	d := importMap{Name: u.name, Size: u.size, Form: f, Columns: []web.Option{{Value: "", Label: "—"}}}
	file, err := os.Open(u.path)
	if err == nil {
		d.Preview, err = importer.PreviewFile(file, m, previewRows, c.kit.Clock.Now())
		file.Close()
	}
	if err != nil {
		status = max(status, f.Fail(err, nil))
	} else if d.Preview.MappingErr != nil && f.Ok() {
		status = max(status, f.Fail(d.Preview.MappingErr, nil))
	}
	for _, h := range d.Preview.Header {
		d.Columns = append(d.Columns, web.Option{Value: h, Label: h})
	}
	if ms, err := c.svc.Imports.ListMappings(r.Context(), web.Principal(r), page.Request{Limit: 100}); err == nil {
		d.Mappings = ms.Items
	}
	c.kit.Render(w, r, status, importMapPage, c.view(r, "imports", "imports.map_title", d))
}

// mapImport previews the file by the form's mapping, saves the mapping,
// or starts the run, as the button pressed says.
func (c *Console) mapImport(w http.ResponseWriter, r *http.Request) {
	p := web.Principal(r)
	u, err := c.jobs.upload(r.PathValue("id"), p.TenantID, p.StaffID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.ReadForm(r)
	m, err := c.formMapping(r.Context(), p, f)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	switch f.Get("action") {
	case "save":
		c.saveMapping(w, r, u, f, m)
	case "run":
		c.startImport(w, r, u, f, m)
	default:
		c.showMapping(w, r, u, f, m, http.StatusOK)
	}
}

func (c *Console) saveMapping(w http.ResponseWriter, r *http.Request, u *upload, f *web.Form, m importer.Mapping) {
	m.Name = f.Get("name")
	saved, err := c.svc.Imports.SaveMapping(r.Context(), web.Principal(r), m)
	if err != nil {
		c.showMapping(w, r, u, f, m, f.Fail(err, nil))
		return
	}
	http.Redirect(w, r, Root+"/import-uploads/"+u.id+"?done=mapping_saved&mapping="+saved.ID, http.StatusSeeOther)
}

// startImport checks the mapping against the file, then runs the import
// in the background; a repeat of the same form starts nothing more.
func (c *Console) startImport(w http.ResponseWriter, r *http.Request, u *upload, f *web.Form, m importer.Mapping) {
	p := web.Principal(r)
	if err := p.Can(access.IngestEvents); err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.fits(u, m); err != nil {
		c.showMapping(w, r, u, f, m, f.Fail(err, nil))
		return
	}
	req := importer.Request{FileName: u.name, Mapping: m, MappingID: f.Get("base"), DryRun: f.Get("dry_run") == "1",
		CreateOrganizations: f.Get("create_organizations") == "1"}
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "import-run", func() (string, error) {
		run := c.jobs.start(p.TenantID, c.kit.Clock.Now(), func(run *importRun) (importer.Result, error) {
			return c.runImport(context.WithoutCancel(r.Context()), p, u, req, run)
		})
		return Root + "/import-runs/" + run.id, nil
	})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// fits says what in the mapping does not fit the file, before a run.
func (c *Console) fits(u *upload, m importer.Mapping) error {
	file, err := os.Open(u.path)
	if err != nil {
		return errs.E(errs.NotFound, "upload_gone", "the uploaded file is no longer kept: upload it again")
	}
	defer file.Close()
	pv, err := importer.PreviewFile(file, m, 1, c.kit.Clock.Now())
	if err != nil {
		return err
	}
	return pv.MappingErr
}

func (c *Console) runImport(ctx context.Context, p access.Principal, u *upload, req importer.Request, run *importRun) (importer.Result, error) {
	file, err := os.Open(u.path)
	if err != nil {
		return importer.Result{}, errs.E(errs.NotFound, "upload_gone", "the uploaded file is no longer kept: upload it again")
	}
	defer file.Close()
	run.progress("read", 0, 0)
	req.Body, req.Progress = file, run.progress
	res, err := c.svc.Imports.Run(ctx, p, req)
	if err != nil && errs.KindOf(err) == errs.Internal {
		c.kit.Log.ErrorContext(ctx, "console import", "err", err)
	}
	return res, err
}
