package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// AnalyticsQuery holds the filters every analytics report takes.
type AnalyticsQuery struct {
	From    string  `query:"from" maxLength:"40" doc:"Start of the range, inclusive: RFC 3339 or YYYY-MM-DD (UTC); default to − 365 days"`
	To      string  `query:"to" maxLength:"40" doc:"End of the range, exclusive: RFC 3339 or YYYY-MM-DD (UTC); default now"`
	Program string  `query:"program" maxLength:"110" doc:"Only this program's enrolled organizations and point types"`
	K       float64 `query:"k" doc:"Churn factor: at risk after k × the own purchase cycle without an order (1–20, default 2)"`
	Format  string  `query:"format" enum:"json,csv" default:"json" doc:"csv for a text/csv export"`
}

// query parses the range, naming the field at fault.
func (q AnalyticsQuery) query() (analytics.Query, error) {
	var f errs.Fields
	out := analytics.Query{ProgramID: q.Program, K: q.K}
	out.From = parseWhen(&f, "from", q.From)
	out.To = parseWhen(&f, "to", q.To)
	if q.K < 0 {
		f.Add("k", "out_of_range", "k is the churn factor, between 1 and 20 (default 2)")
	}
	return out, f.Err()
}

func parseWhen(f *errs.Fields, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	f.Add(field, "invalid_time", "%q is neither RFC 3339 (2026-03-01T00:00:00Z) nor a date (2026-03-01)", s)
	return time.Time{}
}

type analyticsOrgsQuery struct {
	AnalyticsQuery
	PageQuery
	AtRisk bool `query:"at_risk" doc:"Only organizations at high churn risk"`
}

// fileOut is a report as JSON or CSV.
type fileOut struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

// report answers JSON, or CSV of the rows csvRows makes.
func report(format string, v any, csvRows func() [][]string) (*fileOut, error) {
	if format == "csv" {
		b, err := csvBytes(csvRows())
		return &fileOut{ContentType: "text/csv; charset=utf-8", Body: b}, err
	}
	b, err := json.Marshal(v)
	return &fileOut{ContentType: "application/json", Body: b}, err
}

// summary is a one-object report as CSV: a metric,value row per field.
func summary(format string, v any, err error) (*fileOut, error) {
	if err != nil {
		return nil, err
	}
	return report(format, v, func() [][]string { return analytics.Flatten(v) })
}

func (a *API) analyticsRoutes() {
	const tag = "Analytics"
	const common = " Needs read scope. Filters: from, to (default the 365 days before now), program; format=csv exports text/csv. Definitions: docs/ANALYTICS.md."
	get := func(id, path, summaryText, desc string, fn func(context.Context, access.Principal, analytics.Query) (any, error)) {
		handle(a, op(id, http.MethodGet, path, tag, summaryText, desc+common),
			func(ctx context.Context, p access.Principal, in *AnalyticsQuery) (*fileOut, error) {
				q, err := in.query()
				if err != nil {
					return nil, err
				}
				v, err := fn(ctx, p, q)
				return summary(in.Format, v, err)
			})
	}
	get("analytics-participation", "/v1/analytics/participation", "Participation",
		"Enrolled vs eligible organizations and members, active share (earned or redeemed in the 90 days before to), never used.",
		func(ctx context.Context, p access.Principal, q analytics.Query) (any, error) {
			return a.svc.Analytics.Participation(ctx, p, q)
		})
	get("analytics-sales", "/v1/analytics/sales", "Sales", "Revenue, orders, average order value, purchase frequency.",
		func(ctx context.Context, p access.Principal, q analytics.Query) (any, error) {
			return a.svc.Analytics.Sales(ctx, p, q)
		})
	get("analytics-economics", "/v1/analytics/economics", "Economics of points",
		"Points issued, redeemed, expired (breakage), outstanding liability in money, discounts, reward cost, ROI.",
		func(ctx context.Context, p access.Principal, q analytics.Query) (any, error) {
			return a.svc.Analytics.Economics(ctx, p, q)
		})
	get("analytics-uplift", "/v1/analytics/uplift", "Pilot vs control uplift",
		"Revenue per organization of a piloted program's pilot group against its control group over the range; program is required.",
		func(ctx context.Context, p access.Principal, q analytics.Query) (any, error) {
			return a.svc.Analytics.Uplift(ctx, p, q)
		})
	handle(a, op("analytics-cohorts", http.MethodGet, "/v1/analytics/cohorts", tag, "Cohort retention",
		"Organizations by the month of their first order (in the range), and how many ordered in each month since."+common),
		func(ctx context.Context, p access.Principal, in *AnalyticsQuery) (*fileOut, error) {
			q, err := in.query()
			if err != nil {
				return nil, err
			}
			cs, err := a.svc.Analytics.Cohorts(ctx, p, q)
			if err != nil {
				return nil, err
			}
			return report(in.Format, listBody[analytics.Cohort]{Items: cs}, func() [][]string { return analytics.CohortRows(cs) })
		})
	handle(a, op("analytics-organizations", http.MethodGet, "/v1/analytics/organizations", tag, "Purchase cycle, churn risk, ABC and RFM per organization",
		"Each organization with purchases: revenue and orders in the range, median days between orders, churn risk (k), ABC class, RFM scores; "+
			"at_risk=true lists the high-risk ones. JSON pages by organization id; CSV exports all."+common),
		func(ctx context.Context, p access.Principal, in *analyticsOrgsQuery) (*fileOut, error) {
			q, err := in.query()
			if err != nil {
				return nil, err
			}
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			orgs, err := a.svc.Analytics.Organizations(ctx, p, q, in.AtRisk)
			if err != nil {
				return nil, err
			}
			slices.SortFunc(orgs, func(x, y *analytics.OrgStats) int { return cmp.Compare(x.OrganizationID, y.OrganizationID) })
			if in.Format == "csv" {
				return report("csv", nil, func() [][]string { return analytics.OrgRows(orgs) })
			}
			i, _ := slices.BinarySearchFunc(orgs, r.After, func(o *analytics.OrgStats, after string) int { return cmp.Compare(o.OrganizationID, after) })
			for i < len(orgs) && r.After != "" && orgs[i].OrganizationID <= r.After {
				i++
			}
			pg := page.Build(r, orgs[i:min(len(orgs), i+r.Limit+1)], func(o *analytics.OrgStats) string { return o.OrganizationID })
			return report("json", listBody[*analytics.OrgStats]{Items: nonNilSlice(pg.Items), NextCursor: pg.Next}, nil)
		})
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
