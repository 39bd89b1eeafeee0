package admin

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/chart"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// topOrgs is how many organizations the RFM/ABC table lists (the CSV has
// them all).
const topOrgs = 50

// orgReport is the RFM/ABC page: classes and churn risk of the
// organizations with purchases, the best customers first.
func (c *Console) orgReport(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	p := web.Principal(r)
	orgs, err := c.svc.Analytics.Organizations(ctx, p, q, rep.Form.Get("at_risk") == "1")
	if err != nil {
		return err
	}
	cur := c.currency(ctx, r)
	abc, risk := map[string]float64{}, map[string]float64{}
	for _, o := range orgs {
		abc[o.ABC] += float64(o.Revenue)
		risk[o.ChurnRisk]++
	}
	var abcSlices, riskSlices []chart.Slice
	for _, k := range []string{"A", "B", "C"} {
		abcSlices = append(abcSlices, chart.Slice{Label: k, Value: abc[k]})
	}
	for _, k := range []string{analytics.RiskHigh, analytics.RiskMedium, analytics.RiskLow, analytics.RiskUnknown} {
		riskSlices = append(riskSlices, chart.Slice{Label: l.T("analytics.risk." + k), Value: risk[k]})
	}
	money := func(v float64) string { return l.MoneyWhole(int64(v), cur) }
	rep.Charts = append(rep.Charts, chart.Donut(l.T("analytics.chart.abc"), abcSlices, money), chart.Bar(l.T("analytics.chart.risk"), riskSlices, numFormat(l)))
	rep.Figures = []figure{{l.T("analytics.buyers"), l.Num(int64(len(orgs)))}, {l.T("analytics.at_risk"), l.Num(int64(risk[analytics.RiskHigh]))}}
	rep.csv = analytics.OrgRows(orgs)
	slices.SortStableFunc(orgs, func(a, b *analytics.OrgStats) int { return int(min(max(b.Revenue-a.Revenue, -1), 1)) })
	rep.Head = []string{l.T("analytics.organization"), l.T("analytics.revenue"), l.T("analytics.orders"), l.T("analytics.last_order"),
		l.T("analytics.cycle"), l.T("analytics.churn"), "ABC", "RFM"}
	for _, o := range orgs[:min(topOrgs, len(orgs))] {
		rep.Rows = append(rep.Rows, c.orgRow(ctx, r, l, o, cur))
	}
	return nil
}

func (c *Console) orgRow(ctx context.Context, r *http.Request, l *i18n.Locale, o *analytics.OrgStats, cur string) []cell {
	name := o.OrganizationID
	if org, err := c.svc.Party.GetOrganization(ctx, web.Principal(r), o.OrganizationID); err == nil {
		name = org.Name
	}
	last, cycle := "—", "—"
	if o.LastOrder != nil {
		last = l.Day(*o.LastOrder, i18n.Zone(""))
	}
	if o.CycleDays != nil {
		cycle = l.T("analytics.days", fmt.Sprintf("%.0f", *o.CycleDays))
	}
	return []cell{{Text: name, Href: Root + "/organizations/" + o.OrganizationID}, {Text: l.Money(o.Revenue, cur), Num: true},
		{Text: l.Num(o.Orders), Num: true}, {Text: last}, {Text: cycle}, {Text: l.T("analytics.risk." + o.ChurnRisk)}, {Text: o.ABC},
		{Text: fmt.Sprintf("%d-%d-%d", o.R, o.F, o.M)}}
}

// economics is points against money: issued, redeemed, expired,
// liability, and what the program returns.
func (c *Console) economics(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	e, err := c.svc.Analytics.Economics(ctx, web.Principal(r), q)
	if err != nil {
		return err
	}
	cur := c.currency(ctx, r)
	roi := "—"
	if e.ROI != nil {
		roi = l.Percent(*e.ROI)
	}
	rep.Figures = []figure{{l.T("analytics.revenue"), l.Money(e.Revenue, cur)}, {l.T("analytics.margin"), l.Money(e.Margin, cur)},
		{l.T("analytics.reward_cost"), l.Money(e.RewardCost, cur)}, {l.T("analytics.discounts"), l.Money(e.DiscountsGiven, cur)},
		{l.T("analytics.liability"), l.Money(e.Liability, cur)}, {l.T("analytics.cost_share"), l.Percent(e.CostShare)}, {"ROI", roi}}
	rep.Head = []string{l.T("analytics.point_type"), l.T("analytics.issued"), l.T("analytics.redeemed"), l.T("analytics.expired"),
		l.T("analytics.outstanding"), l.T("analytics.liability"), l.T("analytics.breakage")}
	var flows []chart.Slice
	for _, pt := range e.PointTypes {
		rep.Rows = append(rep.Rows, []cell{{Text: pt.Code}, {Text: l.Num(pt.Issued), Num: true}, {Text: l.Num(pt.Redeemed), Num: true},
			{Text: l.Num(pt.Expired), Num: true}, {Text: l.Num(pt.Outstanding), Num: true}, {Text: l.Money(pt.LiabilityValue, pt.Currency), Num: true},
			{Text: l.Percent(pt.BreakageRate), Num: true}})
	}
	for _, f := range []struct {
		key string
		v   func(analytics.PointEconomics) int64
	}{{"issued", func(p analytics.PointEconomics) int64 { return p.IssuedValue }}, {"redeemed", func(p analytics.PointEconomics) int64 { return p.RedeemedValue }},
		{"expired", func(p analytics.PointEconomics) int64 { return p.ExpiredValue }}, {"liability", func(p analytics.PointEconomics) int64 { return p.LiabilityValue }}} {
		var sum float64
		for _, pt := range e.PointTypes {
			sum += float64(f.v(pt))
		}
		flows = append(flows, chart.Slice{Label: l.T("analytics." + f.key), Value: sum})
	}
	rep.Charts = append(rep.Charts, chart.Bar(l.T("analytics.chart.economics"), flows, func(v float64) string { return l.MoneyWhole(int64(v), cur) }))
	rep.csv = analytics.Flatten(e)
	return nil
}

// uplift compares a piloted program's pilot group with its control group.
func (c *Console) uplift(ctx context.Context, r *http.Request, l *i18n.Locale, q analytics.Query, rep *report) error {
	if q.ProgramID == "" {
		rep.Note = l.T("analytics.uplift_pick")
		return nil
	}
	u, err := c.svc.Analytics.Uplift(ctx, web.Principal(r), q)
	if err != nil {
		return err
	}
	cur := c.currency(ctx, r)
	rate := "—"
	if u.UpliftRate != nil {
		rate = l.Percent(*u.UpliftRate)
	}
	rep.Figures = []figure{{l.T("analytics.uplift_rate"), rate}, {l.T("analytics.difference"), l.Money(u.Difference, cur)},
		{l.T("analytics.pilot"), l.Num(u.Pilot.Organizations)}, {l.T("analytics.control"), l.Num(u.Control.Organizations)}}
	rep.Head = []string{"", l.T("analytics.organizations"), l.T("analytics.revenue"), l.T("analytics.orders"), l.T("analytics.revenue_per_org")}
	for _, g := range []struct {
		key string
		g   analytics.Group
	}{{"pilot", u.Pilot}, {"control", u.Control}} {
		rep.Rows = append(rep.Rows, []cell{{Text: l.T("analytics." + g.key)}, {Text: l.Num(g.g.Organizations), Num: true},
			{Text: l.Money(g.g.Revenue, cur), Num: true}, {Text: l.Num(g.g.Orders), Num: true}, {Text: l.Money(g.g.RevenuePerOrganization, cur), Num: true}})
	}
	rep.Charts = append(rep.Charts, chart.Bar(l.T("analytics.chart.uplift"), []chart.Slice{
		{Label: l.T("analytics.pilot"), Value: float64(u.Pilot.RevenuePerOrganization)}, {Label: l.T("analytics.control"), Value: float64(u.Control.RevenuePerOrganization)}},
		func(v float64) string { return l.MoneyWhole(int64(v), cur) }))
	rep.csv = analytics.Flatten(u)
	return nil
}
