package analytics

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Participation is DOMAIN §6's participation: who could take part, who
// is enrolled, who used the program lately and who never did.
type Participation struct {
	EligibleOrganizations int64    `json:"eligible_organizations" doc:"Active organizations created before to"`
	EnrolledOrganizations int64    `json:"enrolled_organizations" doc:"Eligible organizations enrolled (in the program, or in any) before to"`
	EligibleMembers       int64    `json:"eligible_members" doc:"Active members of eligible organizations"`
	EnrolledMembers       int64    `json:"enrolled_members" doc:"Active members of enrolled organizations"`
	ActiveOrganizations   int64    `json:"active_organizations" doc:"Enrolled organizations that earned or redeemed in the 90 days before to"`
	ActiveShare           float64  `json:"active_share" doc:"active / enrolled organizations, 4 decimals (0 when none enrolled)"`
	NeverUsed             int64    `json:"never_used" doc:"Enrolled organizations that never earned or redeemed before to"`
	NeverUsedIDs          []string `json:"never_used_ids" doc:"Their ids, sorted (at most 1000)"`
}

// ActiveDays is the window of "active" participation.
const ActiveDays = 90

// enrolled returns the organizations enrolled (state with enrolled_at
// before to) in the program, or in any program when programID is "".
func enrolled(ctx context.Context, tx Tx, tenantID, programID string, to time.Time) (map[string]bool, error) {
	rows, err := tx.Enrolments(ctx, tenantID, programID)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, r := range rows {
		if !r.At.IsZero() && r.At.Before(to) {
			out[r.OrganizationID] = true
		}
	}
	return out, nil
}

// Participation reports participation over q.
func (s *Service) Participation(ctx context.Context, p access.Principal, q Query) (Participation, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return Participation{}, err
	}
	to := q.To.UnixMilli()
	return txn.Get(ctx, s.Store, func(tx Tx) (Participation, error) {
		var r Participation
		enr, err := enrolled(ctx, tx, p.TenantID, q.ProgramID, q.To)
		if err != nil {
			return r, err
		}
		members, err := tx.ActiveMembersPerOrg(ctx, p.TenantID, to)
		if err != nil {
			return r, err
		}
		eligible := map[string]bool{}
		err = tx.ScanOrgStatuses(ctx, p.TenantID, func(o OrgStatus) error {
			if o.Status != "active" || !o.CreatedAt.Before(q.To) {
				return nil
			}
			eligible[o.ID] = true
			r.EligibleOrganizations++
			r.EligibleMembers += members[o.ID]
			if enr[o.ID] {
				r.EnrolledOrganizations++
				r.EnrolledMembers += members[o.ID]
			}
			return nil
		})
		if err != nil {
			return r, err
		}
		var pts []string
		if q.ProgramID != "" {
			types, err := tx.PointTypesOf(ctx, p.TenantID, q.ProgramID)
			if err != nil {
				return r, err
			}
			for _, pt := range types {
				pts = append(pts, pt.ID)
			}
		}
		acts, err := s.activity(ctx, tx, p.TenantID, pts, to-ActiveDays*dayMs, to)
		if err != nil {
			return r, err
		}
		used := map[string]bool{}
		for _, a := range acts {
			if !enr[a.OrganizationID] || !eligible[a.OrganizationID] {
				continue
			}
			used[a.OrganizationID] = true
			if a.Active {
				r.ActiveOrganizations++
			}
		}
		r.ActiveShare = ratio(r.ActiveOrganizations, r.EnrolledOrganizations)
		r.NeverUsedIDs = []string{}
		for id := range enr {
			if eligible[id] && !used[id] {
				r.NeverUsed++
				r.NeverUsedIDs = append(r.NeverUsedIDs, id)
			}
		}
		sortCap(&r.NeverUsedIDs, 1000)
		return r, nil
	})
}

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
			if enr, err = enrolled(ctx, tx, p.TenantID, q.ProgramID, q.To); err != nil {
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
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]OrgTotal, error) {
		return s.orgTotals(ctx, tx, tenantID, q.From.UnixMilli(), q.To.UnixMilli())
	})
	if err != nil {
		return nil, outOfRange(err)
	}
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
	keep, err := s.filter(ctx, p, q)
	if err != nil {
		return Sales{}, err
	}
	orgs, err := s.totals(ctx, p.TenantID, q, keep)
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
