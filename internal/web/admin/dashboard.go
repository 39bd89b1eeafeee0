package admin

import (
	"html/template"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

var dashboardPage = web.Page(files, "dashboard.html")

// dashboard is the dashboard page's data.
type dashboard struct {
	D                      analytics.Dashboard
	Sales, Tiers, Segments template.HTML
	Rate                   string
	Poll                   string // how often the live part reloads, for htmx
}

func (c *Console) dashboardRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/{$}", c.dashboard)
	m.HandleFunc("GET "+Root+"/dashboard/live", c.dashboardLive)
}

func (c *Console) dashboardData(r *http.Request, l *i18n.Locale) (dashboard, error) {
	d, err := c.svc.Analytics.Dashboard(r.Context(), web.Principal(r))
	if err != nil {
		return dashboard{}, err
	}
	// Axis labels in whole money units: "£1,200" reads faster than "£1,200.00".
	money := func(v float64) string { return l.MoneyWhole(int64(v), d.Currency) }
	var labels []string
	var sales, orders []float64
	for _, day := range d.Daily {
		labels = append(labels, l.Short(day.Day, i18n.Zone("")))
		sales, orders = append(sales, float64(day.Sales)), append(orders, float64(day.Orders))
	}
	var tiers, segs []chart.Slice
	for _, t := range d.Tiers {
		tiers = append(tiers, chart.Slice{Label: t.Label, Value: float64(t.N)})
	}
	for _, s := range d.Segments {
		segs = append(segs, chart.Slice{Label: s.Label, Value: float64(s.N)})
	}
	num := func(v float64) string { return l.Num(int64(v)) }
	return dashboard{D: d, Rate: l.Percent(d.ParticipationRate()), Poll: "every 2s",
		Sales:    chart.Line(l.T("dash.chart.sales"), labels, []chart.Series{{Name: l.T("dash.sales"), Values: sales}}, money),
		Tiers:    chart.Donut(l.T("dash.chart.tiers"), tiers, num),
		Segments: chart.Bar(l.T("dash.chart.segments"), segs, num),
	}, nil
}

func (c *Console) dashboard(w http.ResponseWriter, r *http.Request) {
	l := c.kit.Locale(r)
	d, err := c.dashboardData(r, l)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, http.StatusOK, dashboardPage, c.view(r, "dashboard", "dash.title", d))
}

// dashboardLive is the figures part alone, which the page polls.
func (c *Console) dashboardLive(w http.ResponseWriter, r *http.Request) {
	l := c.kit.Locale(r)
	d, err := c.dashboardData(r, l)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Fragment(w, r, dashboardPage, "live", c.view(r, "dashboard", "dash.title", d))
}
