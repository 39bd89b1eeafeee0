package admin

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/simulate"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
)

// simView is a simulation of the draft against the running version:
// the report's side-by-side figures and a chart of points issued a month.
type simView struct {
	Names []string
	Rows  []simRow
	Chart template.HTML
	Cur   string
}

// simRow is one figure of every variant, named in the user's language.
type simRow struct {
	Label, Unit string
	Values      []int64
}

// simulate replays the chosen period of history through the draft and,
// when the program has a version in force, through it too.
func (c *Console) simulate(e *editing) {
	f, l := e.v.Form, c.kit.Locale(e.r)
	from, err1 := time.Parse(time.DateOnly, f.Get("from"))
	to, err2 := time.Parse(time.DateOnly, f.Get("to"))
	if err1 != nil {
		f.Invalid("from", l.T("programs.bad_date"))
	}
	if err2 != nil {
		f.Invalid("to", l.T("programs.bad_date"))
	}
	if !f.Ok() {
		c.showEditor(e, http.StatusUnprocessableEntity)
		return
	}
	raw, _ := encodeJSON(e.def)
	req := simulate.Request{From: from, To: to, Variants: []simulate.VariantSpec{{Name: l.T("programs.draft"), ProgramID: e.v.P.ID, Definition: raw}}}
	if e.v.P.Versions > 0 {
		req.Variants = append(req.Variants, simulate.VariantSpec{Name: l.T("programs.running"), ProgramID: e.v.P.ID})
	}
	rep, err := c.svc.Simulations.Simulate(e.r.Context(), web.Principal(e.r), req, nil)
	if err != nil {
		if errs.Is(err, errs.Forbidden) {
			c.fail(e.w, e.r, err)
			return
		}
		c.showEditor(e, showErrors(e, err))
		return
	}
	e.v.Sim = simReport(rep, l.T("programs.sim_chart"), l.Num)
	for _, r := range rep.SideBySide {
		e.v.Sim.Rows = append(e.v.Sim.Rows, simRow{Label: l.T("programs.sim." + strings.ReplaceAll(r.Metric, " ", "_")), Unit: r.Unit, Values: r.Values})
	}
	c.showEditor(e, http.StatusOK)
}

// simReport turns a report into the table and the chart.
func simReport(rep simulate.Report, title string, num func(int64) string) *simView {
	v := &simView{}
	var labels []string
	var series []chart.Series
	for i, vr := range rep.Variants {
		v.Names = append(v.Names, vr.Name)
		v.Cur = vr.Currency
		s := chart.Series{Name: vr.Name}
		for _, m := range vr.Months {
			if i == 0 {
				labels = append(labels, m.Month)
			}
			s.Values = append(s.Values, float64(m.Issued))
		}
		series = append(series, s)
	}
	v.Chart = chart.Line(title, labels, series, func(x float64) string { return num(int64(x)) })
	return v
}
