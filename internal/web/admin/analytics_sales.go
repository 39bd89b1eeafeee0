package admin

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// maxMonths bounds the months the sales chart asks for one by one.
const maxMonths = 24

// currency is the currency sales are shown in: the first point type's,
// as on the dashboard.
func (c *Console) currency(ctx context.Context, r *http.Request) string {
	if d, err := c.svc.Analytics.Dashboard(ctx, web.Principal(r)); err == nil && d.Currency != "" {
		return d.Currency
	}
	return "GBP"
}

func (c *Console) participation(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	p, err := c.svc.Analytics.Participation(ctx, web.Principal(r), q)
	if err != nil {
		return err
	}
	rep.Figures = []figure{{l.T("analytics.eligible"), l.Num(p.EligibleOrganizations)}, {l.T("analytics.enrolled"), l.Num(p.EnrolledOrganizations)},
		{l.T("analytics.active"), l.Num(p.ActiveOrganizations)}, {l.T("analytics.active_share"), l.Percent(p.ActiveShare)},
		{l.T("analytics.never_used"), l.Num(p.NeverUsed)}, {l.T("analytics.members_enrolled"), l.Num(p.EnrolledMembers) + " / " + l.Num(p.EligibleMembers)}}
	rep.Charts = append(rep.Charts, chart.Bar(l.T("analytics.chart.participation"), []chart.Slice{
		{Label: l.T("analytics.eligible"), Value: float64(p.EligibleOrganizations)}, {Label: l.T("analytics.enrolled"), Value: float64(p.EnrolledOrganizations)},
		{Label: l.T("analytics.active"), Value: float64(p.ActiveOrganizations)}, {Label: l.T("analytics.never_used"), Value: float64(p.NeverUsed)}}, numFormat(l)))
	rep.Head = []string{l.T("analytics.never_used_list")}
	for _, id := range p.NeverUsedIDs[:min(50, len(p.NeverUsedIDs))] {
		rep.Rows = append(rep.Rows, []cell{{Text: id, Href: Root + "/organizations/" + id}})
	}
	rep.csv = analytics.Flatten(p)
	return nil
}

// sales shows the range's sales and, month by month, its revenue.
func (c *Console) sales(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	p := web.Principal(r)
	s, err := c.svc.Analytics.Sales(ctx, p, q)
	if err != nil {
		return err
	}
	cur := c.currency(ctx, r)
	rep.Figures = []figure{{l.T("analytics.revenue"), l.Money(s.Revenue, cur)}, {l.T("analytics.orders"), l.Num(s.Orders)},
		{l.T("analytics.aov"), l.Money(s.AverageOrderValue, cur)}, {l.T("analytics.buyers"), l.Num(s.BuyingOrganizations)},
		{l.T("analytics.revenue_per_org"), l.Money(s.RevenuePerOrganization, cur)}, {l.T("analytics.returns"), l.Money(s.Returns, cur)}}
	rep.Head = []string{l.T("analytics.month"), l.T("analytics.revenue"), l.T("analytics.orders"), l.T("analytics.buyers")}
	rep.csv = [][]string{{"month", "revenue", "orders", "buying_organizations"}}
	var labels []string
	var revenue []float64
	for _, m := range months(q, c.kit.Clock.Now()) {
		ms, err := c.svc.Analytics.Sales(ctx, p, m)
		if err != nil {
			return err
		}
		name := m.From.Format("2006-01")
		labels, revenue = append(labels, name), append(revenue, float64(ms.Revenue))
		rep.Rows = append(rep.Rows, []cell{{Text: name}, {Text: l.Money(ms.Revenue, cur), Num: true}, {Text: l.Num(ms.Orders), Num: true}, {Text: l.Num(ms.BuyingOrganizations), Num: true}})
		rep.csv = append(rep.csv, []string{name, strconv.FormatInt(ms.Revenue, 10), strconv.FormatInt(ms.Orders, 10), strconv.FormatInt(ms.BuyingOrganizations, 10)})
	}
	money := func(v float64) string { return l.MoneyWhole(int64(v), cur) }
	rep.Charts = append(rep.Charts, chart.Line(l.T("analytics.chart.sales"), labels, []chart.Series{{Name: l.T("analytics.revenue"), Values: revenue}}, money))
	return nil
}

// months splits a (normalized) range into calendar months, the last
// maxMonths of them.
func months(q analytics.Query, now time.Time) []analytics.Query {
	_ = q.Normalize(now)
	var out []analytics.Query
	for from := q.From; from.Before(q.To); {
		next := time.Date(from.Year(), from.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		m := q
		m.From, m.To = from, next
		if q.To.Before(next) {
			m.To = q.To
		}
		out = append(out, m)
		from = next
	}
	return out[max(0, len(out)-maxMonths):]
}

func (c *Console) cohorts(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	cs, err := c.svc.Analytics.Cohorts(ctx, web.Principal(r), q)
	if err != nil {
		return err
	}
	var sizes []chart.Slice
	rep.Head = []string{l.T("analytics.cohort"), l.T("analytics.organizations")}
	for i := 1; i < min(len(cs), 13); i++ {
		rep.Head = append(rep.Head, l.T("analytics.month_n", i))
	}
	for _, co := range cs {
		sizes = append(sizes, chart.Slice{Label: co.Month, Value: float64(co.Organizations)})
		row := []cell{{Text: co.Month}, {Text: l.Num(co.Organizations), Num: true}}
		for i := 1; i < len(rep.Head)-1; i++ {
			v := ""
			if i < len(co.Rates) && co.Organizations > 0 {
				v = l.Percent(co.Rates[i])
			}
			row = append(row, cell{Text: v, Num: true})
		}
		rep.Rows = append(rep.Rows, row)
	}
	rep.Charts = append(rep.Charts, chart.Bar(l.T("analytics.chart.cohorts"), sizes, numFormat(l)))
	rep.csv = analytics.CohortRows(cs)
	return nil
}

// numFormat labels an axis of counts: whole numbers only (a scale of 0 to
// 1 has no label at 0.25).
func numFormat(l *i18n.Locale) chart.Format {
	return func(v float64) string {
		if v != math.Trunc(v) {
			return ""
		}
		return l.Num(int64(v))
	}
}
