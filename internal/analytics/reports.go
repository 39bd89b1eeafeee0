package analytics

import (
	"context"
	"math"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// ratio is a / b to 4 decimals, 0 when b is 0.
func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return round4(float64(a) / float64(b))
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// divRound divides rounding half away from zero (b > 0), 0 when b is 0.
func divRound(a, b int64) int64 {
	q, err := money.MulDiv(a, 1, b, money.HalfUp) // b > 0: it cannot overflow
	if err != nil {
		return 0
	}
	return q
}

// Sales is revenue, orders and frequency over the range.
type Sales struct {
	Revenue                int64   `json:"revenue" doc:"Purchases minus returns, minor units"`
	Purchases              int64   `json:"purchases" doc:"Amount of purchases (invoices, orders, claims), minor units"`
	Returns                int64   `json:"returns" doc:"Amount returned, minor units"`
	Orders                 int64   `json:"orders" doc:"Number of purchases"`
	BuyingOrganizations    int64   `json:"buying_organizations" doc:"Organizations with at least one purchase"`
	AverageOrderValue      int64   `json:"average_order_value" doc:"purchases / orders, rounded half up"`
	OrdersPerOrganization  float64 `json:"orders_per_organization" doc:"orders / buying organizations, 4 decimals"`
	RevenuePerOrganization int64   `json:"revenue_per_organization" doc:"revenue / buying organizations, rounded half up"`
}

// filter admits the organizations the query covers: the program's
// enrolled ones when a program is named, and an account manager's own
// ones only (nil: all).
func (s *Service) filter(ctx context.Context, p access.Principal, q Query) (func(string) bool, error) {
	if q.ProgramID == "" && !p.OwnOrgsOnly() {
		return nil, nil
	}
	var enr, mine map[string]bool
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if q.ProgramID != "" {
			if enr, err = s.enrolled(ctx, tx, p.TenantID, q.ProgramID, q.To); err != nil {
				return err
			}
		}
		if p.OwnOrgsOnly() {
			mine = map[string]bool{}
			return tx.ScanOrganizations(ctx, p.TenantID, func(o party.Organization) error {
				mine[o.ID] = p.Reaches(o.AccountManagerID) == nil
				return nil
			})
		}
		return nil
	})
	return func(id string) bool { return (enr == nil || enr[id]) && (mine == nil || mine[id]) }, err
}

// orgs scans the organizations the query covers, with their cycles and
// classes (one pass over all history before q.To).
func (s *Service) orgs(ctx context.Context, p access.Principal, q Query) ([]*OrgStats, error) {
	keep, err := s.filter(ctx, p, q)
	if err != nil {
		return nil, err
	}
	return s.scanOrgs(ctx, p.TenantID, q, keep)
}

// totals sums the range's facts per organization in SQL: what reports of
// sums need, without the pass over all history.
func (s *Service) totals(ctx context.Context, tenantID string, q Query, keep func(string) bool) ([]*OrgStats, error) {
	rows, err := s.totalRows(ctx, tenantID, q)
	if err != nil {
		return nil, err
	}
	return statsOf(rows, keep)
}

// filteredTotals is totals of the organizations q covers. The filter and
// the sums are separate reads, run side by side together with more (what
// else the report reads).
func (s *Service) filteredTotals(ctx context.Context, p access.Principal, q Query, more ...func() error) ([]*OrgStats, error) {
	var rows []OrgTotal
	var keep func(string) bool
	err := txn.Together(append([]func() error{
		func() (err error) { rows, err = s.totalRows(ctx, p.TenantID, q); return err },
		func() (err error) { keep, err = s.filter(ctx, p, q); return err },
	}, more...)...)
	if err != nil {
		return nil, err
	}
	return statsOf(rows, keep)
}

func (s *Service) totalRows(ctx context.Context, tenantID string, q Query) ([]OrgTotal, error) {
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]OrgTotal, error) {
		return s.orgTotals(ctx, tx, tenantID, q.From.UnixMilli(), q.To.UnixMilli())
	})
	return rows, outOfRange(err)
}

// statsOf turns the totals of the organizations kept (keep nil: all)
// into their figures.
func statsOf(rows []OrgTotal, keep func(string) bool) ([]*OrgStats, error) {
	var c checked
	out := make([]*OrgStats, 0, len(rows))
	for _, r := range rows {
		if keep == nil || keep(r.OrganizationID) {
			out = append(out, &OrgStats{OrganizationID: r.OrganizationID, Revenue: c.Diff(r.Purchases, r.Returns), Returns: r.Returns,
				Cost: r.Cost, Orders: r.Orders})
		}
	}
	return out, c.err()
}

// Sales reports sales over q.
func (s *Service) Sales(ctx context.Context, p access.Principal, q Query) (Sales, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return Sales{}, err
	}
	orgs, err := s.filteredTotals(ctx, p, q)
	if err != nil {
		return Sales{}, err
	}
	return salesOf(orgs)
}

func salesOf(orgs []*OrgStats) (Sales, error) {
	var r Sales
	var c checked
	for _, o := range orgs {
		c.Add(&r.Revenue, o.Revenue)
		c.Add(&r.Returns, o.Returns)
		c.Add(&r.Purchases, o.Revenue)
		c.Add(&r.Purchases, o.Returns)
		r.Orders += o.Orders
		if o.Orders > 0 {
			r.BuyingOrganizations++
		}
	}
	r.AverageOrderValue = divRound(r.Purchases, r.Orders)
	r.OrdersPerOrganization = ratio(r.Orders, r.BuyingOrganizations)
	r.RevenuePerOrganization = divRound(r.Revenue, r.BuyingOrganizations)
	return r, c.err()
}

// Organizations reports each organization's figures, cycle, churn risk,
// ABC class and RFM scores, ordered by id; atRisk keeps the high-risk
// ones only.
func (s *Service) Organizations(ctx context.Context, p access.Principal, q Query, atRisk bool) ([]*OrgStats, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return nil, err
	}
	orgs, err := s.orgs(ctx, p, q)
	if err != nil || !atRisk {
		return orgs, err
	}
	var out []*OrgStats
	for _, o := range orgs {
		if o.ChurnRisk == RiskHigh {
			out = append(out, o)
		}
	}
	return out, nil
}

// Cohort is the organizations whose first order fell in one month, and
// how many of them ordered in each month since.
type Cohort struct {
	Month         string    `json:"month" doc:"YYYY-MM of the first order"`
	Organizations int64     `json:"organizations"`
	Retained      []int64   `json:"retained" doc:"Per month since (0 = the cohort month), organizations with an order"`
	Rates         []float64 `json:"rates" doc:"retained / organizations, 4 decimals"`
}

// Cohorts reports retention by first-order month for first orders in the
// range, up to the month of its end.
func (s *Service) Cohorts(ctx context.Context, p access.Principal, q Query) ([]Cohort, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return nil, err
	}
	orgs, err := s.orgs(ctx, p, q)
	if err != nil {
		return nil, err
	}
	first, last := monthOf(q.From.UnixMilli()), monthOf(q.To.UnixMilli()-1)
	out := []Cohort{}
	for m := first; m <= last; m++ {
		out = append(out, Cohort{Month: monthName(m), Retained: make([]int64, last-m+1)})
	}
	for _, o := range orgs {
		if o.firstMs < q.From.UnixMilli() || len(o.months) == 0 {
			continue
		}
		c := &out[o.months[0]-first]
		c.Organizations++
		for _, m := range o.months {
			if m <= last {
				c.Retained[m-o.months[0]]++
			}
		}
	}
	for i := range out {
		c := &out[i]
		c.Rates = make([]float64, len(c.Retained))
		for j, n := range c.Retained {
			c.Rates[j] = ratio(n, c.Organizations)
		}
	}
	return out, nil
}

func sortCap(ids *[]string, n int) {
	slices.Sort(*ids)
	if len(*ids) > n {
		*ids = (*ids)[:n]
	}
}
