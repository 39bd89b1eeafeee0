package admin

import (
	"context"
	"encoding/csv"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var analyticsPage = web.Page(files, "analytics.html")

// reportNames are the analytics pages, in the order of their tabs.
var reportNames = []string{"participation", "sales", "cohorts", "organizations", "economics", "uplift", "campaigns", "surveys"}

// report is one analytics page: the filter form, figures, charts, a table
// and the address of the same report as CSV.
type report struct {
	Name     string
	Tabs     []web.MenuItem
	Form     *web.Form
	Programs []web.Option
	// Campaigns are the message campaigns to choose from (campaigns page).
	Campaigns []web.Option
	// Surveys are the surveys to choose from (surveys page).
	Surveys []web.Option
	Figures []figure
	Charts  []template.HTML
	Head    []string
	Rows    [][]cell
	Note    string
	CSV     string
	csv     [][]string
}

// HasCSV says whether the report has rows to export.
func (r *report) HasCSV() bool { return len(r.csv) > 1 }

// figure is one headline number, formatted.
type figure struct{ Label, Value string }

// cell is a table cell: text, and a link when it names something.
type cell struct {
	Text, Href string
	Num        bool
}

// build fills a report from the services; a report's own file defines it.
type build func(c *Console, ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error

var builders = map[string]build{
	"participation": (*Console).participation, "sales": (*Console).sales, "cohorts": (*Console).cohorts,
	"organizations": (*Console).orgReport, "economics": (*Console).economics, "uplift": (*Console).uplift,
	"campaigns": (*Console).campaignReach, "surveys": (*Console).surveyResults,
}

func (c *Console) analyticsRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/analytics", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Root+"/analytics/participation", http.StatusSeeOther)
	})
	m.HandleFunc("GET "+Root+"/analytics/{report}", c.analytics)
}

// analytics shows a report, or sends it as CSV with ?format=csv.
func (c *Console) analytics(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("report")
	fill, ok := builders[name]
	if !ok {
		c.fail(w, r, errs.E(errs.NotFound, "no_report", "there is no such report"))
		return
	}
	l := c.kit.Locale(r)
	rep := &report{Name: name, Form: web.NewForm()}
	c.reportForm(r, l, rep)
	q, status := c.reportQuery(rep.Form, l), http.StatusOK
	if rep.Form.Ok() {
		if err := fill(c, r.Context(), r, l, q, rep); err != nil {
			if errs.KindOf(err) != errs.Invalid {
				c.fail(w, r, err)
				return
			}
			status = rep.Form.Fail(err, nil)
			rep.Figures, rep.Charts, rep.Rows, rep.csv = nil, nil, nil, nil
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	if r.URL.Query().Get("format") == "csv" && status == http.StatusOK {
		writeCSV(w, name, rep.csv)
		return
	}
	c.kit.Render(w, r, status, analyticsPage, c.view(r, "analytics", "analytics."+name, rep))
}

// reportForm reads the filters and lays out the tabs and the programs.
func (c *Console) reportForm(r *http.Request, l *i18n.Locale, rep *report) {
	qs := r.URL.Query()
	for _, k := range []string{"from", "to", "program", "k", "at_risk", "campaign", "survey"} {
		rep.Form.Set(k, qs.Get(k))
	}
	keep := url.Values{}
	for k, v := range qs {
		if k != "format" {
			keep[k] = v
		}
	}
	for _, n := range reportNames {
		rep.Tabs = append(rep.Tabs, web.MenuItem{Href: Root + "/analytics/" + n + "?" + keep.Encode(), Label: l.T("analytics." + n), Key: n, Current: n == rep.Name})
	}
	keep.Set("format", "csv")
	rep.CSV = Root + "/analytics/" + rep.Name + "?" + keep.Encode()
	rep.Programs = []web.Option{{Value: "", Label: l.T("analytics.all_programs")}}
	if ps, err := c.svc.Programs.List(r.Context(), web.Principal(r), page.Request{Limit: 100}); err == nil {
		for _, p := range ps.Items {
			rep.Programs = append(rep.Programs, web.Option{Value: p.ID, Label: p.Name})
		}
	}
}

// reportQuery reads the range as dates: from the start of "from" to the
// end of "to" (both included), in UTC.
func (c *Console) reportQuery(f *web.Form, l *i18n.Locale) analytics.Query {
	q := analytics.Query{ProgramID: f.Get("program")}
	day := func(field string) time.Time {
		s := f.Get(field)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			f.Invalid(field, l.T("analytics.bad_date"))
		}
		return t
	}
	q.From = day("from")
	if q.To = day("to"); !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	if k := f.Get("k"); k != "" {
		v, err := strconv.ParseFloat(k, 64)
		if err != nil {
			f.Invalid("k", l.T("analytics.bad_k"))
		}
		q.K = v
	}
	return q
}

// writeCSV sends a report's rows as a file.
func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(slices.Clip(rows))
}
