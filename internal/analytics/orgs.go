package analytics

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Churn risk levels.
const (
	RiskHigh    = "high"    // no order for more than k × the own cycle
	RiskMedium  = "medium"  // no order for more than the own cycle
	RiskLow     = "low"     // ordered within the own cycle
	RiskUnknown = "unknown" // fewer than two orders: no cycle yet
)

// NoClass is the ABC class of an organization without positive revenue
// in the range.
const NoClass = "none"

// OrgStats is what one organization did, from the facts before the
// range's end. Revenue, Orders, Returns and Cost are within the range;
// first and last order, cycle and months cover all history before To.
type OrgStats struct {
	OrganizationID string     `json:"organization_id"`
	Revenue        int64      `json:"revenue" doc:"Purchases minus returns in the range, minor units"`
	Orders         int64      `json:"orders"`
	Returns        int64      `json:"returns" doc:"Returned amount in the range, minor units"`
	Cost           int64      `json:"cost" doc:"Recorded line cost of the range's purchases minus returns"`
	FirstOrder     *time.Time `json:"first_order"`
	LastOrder      *time.Time `json:"last_order"`
	CycleDays      *float64   `json:"cycle_days" doc:"Median days between consecutive orders (null: fewer than two orders)"`
	DaysSinceLast  *float64   `json:"days_since_last_order"`
	ChurnRisk      string     `json:"churn_risk" enum:"high,medium,low,unknown"`
	ABC            string     `json:"abc" enum:"A,B,C,none"`
	R              int        `json:"r" doc:"RFM recency score 1–5 (0: no order in the range)"`
	F              int        `json:"f"`
	M              int        `json:"m"`

	firstMs, lastMs, cycleMs int64
	months                   []int // months (year×12 + month−1) with an order
}

// scanOrgs makes one pass over the facts before q.To, keeping the
// organizations keep admits (nil: all), and classifies them.
func (s *Service) scanOrgs(ctx context.Context, tenantID string, q Query, keep func(string) bool) ([]*OrgStats, error) {
	from, to := q.From.UnixMilli(), q.To.UnixMilli()
	var out []*OrgStats
	var cur *OrgStats
	var gaps []int64
	var c checked
	finish := func() {
		if cur != nil {
			finishOrg(cur, gaps, to, q.K)
		}
	}
	_, err := txn.Get(ctx, s.Store, func(tx Tx) (struct{}, error) {
		return struct{}{}, s.scanFacts(ctx, tx, tenantID, to, func(f Fact) error {
			if keep != nil && !keep(f.OrganizationID) {
				return nil
			}
			if cur == nil || cur.OrganizationID != f.OrganizationID {
				finish()
				cur, gaps = &OrgStats{OrganizationID: f.OrganizationID}, gaps[:0]
				out = append(out, cur)
			}
			addFact(&c, cur, &gaps, f, from)
			return nil
		})
	})
	finish()
	if err != nil {
		return nil, outOfRange(err)
	}
	classify(&c, out, to)
	return out, c.err()
}

// addFact counts one fact (facts arrive in time order).
func addFact(c *checked, o *OrgStats, gaps *[]int64, f Fact, from int64) {
	in := f.OccurredMs >= from
	if f.Type == FactReturn {
		if in {
			c.Add(&o.Returns, f.Amount)
			c.Sub(&o.Revenue, f.Amount)
			c.Sub(&o.Cost, f.Cost)
		}
		return
	}
	if in {
		o.Orders++
		c.Add(&o.Revenue, f.Amount)
		c.Add(&o.Cost, f.Cost)
	}
	if o.firstMs == 0 {
		o.firstMs = f.OccurredMs
	} else {
		*gaps = append(*gaps, f.OccurredMs-o.lastMs)
	}
	o.lastMs = f.OccurredMs
	if m := monthOf(f.OccurredMs); len(o.months) == 0 || o.months[len(o.months)-1] != m {
		o.months = append(o.months, m)
	}
}

// finishOrg sets the cycle and churn risk once an organization's facts
// are read.
func finishOrg(o *OrgStats, gaps []int64, to int64, k float64) {
	o.ChurnRisk = RiskUnknown
	if o.firstMs == 0 {
		return
	}
	f, l := time.UnixMilli(o.firstMs).UTC(), time.UnixMilli(o.lastMs).UTC()
	o.FirstOrder, o.LastOrder = &f, &l
	since := float64(to-o.lastMs) / float64(dayMs)
	o.DaysSinceLast = &since
	if len(gaps) == 0 {
		return
	}
	slices.Sort(gaps)
	n := len(gaps)
	o.cycleMs = gaps[n/2]
	if n%2 == 0 {
		o.cycleMs = (gaps[n/2-1] + gaps[n/2]) / 2
	}
	c := float64(o.cycleMs) / float64(dayMs)
	o.CycleDays = &c
	idle := to - o.lastMs
	switch {
	case float64(idle) > k*float64(o.cycleMs):
		o.ChurnRisk = RiskHigh
	case idle > o.cycleMs:
		o.ChurnRisk = RiskMedium
	default:
		o.ChurnRisk = RiskLow
	}
}

// classify sets ABC classes and RFM scores across the organizations.
func classify(c *checked, orgs []*OrgStats, to int64) {
	var total int64
	var ranked, buyers []*OrgStats
	for _, o := range orgs {
		o.ABC = NoClass
		if o.Revenue > 0 {
			ranked = append(ranked, o)
			c.Add(&total, o.Revenue)
		}
		if o.Orders > 0 {
			buyers = append(buyers, o)
		}
	}
	slices.SortStableFunc(ranked, func(x, y *OrgStats) int { return cmp.Compare(y.Revenue, x.Revenue) })
	// A while the revenue before it is under 80% of the total, B under 95%:
	// cum < 0.8 × total is cum < ⌈0.8 × total⌉ for whole numbers.
	a, _ := money.MulDiv(total, 80, 100, money.Ceil) // at most total: no error
	b, _ := money.MulDiv(total, 95, 100, money.Ceil)
	var cum int64
	for _, o := range ranked {
		switch {
		case cum < a:
			o.ABC = "A"
		case cum < b:
			o.ABC = "B"
		default:
			o.ABC = "C"
		}
		c.Add(&cum, o.Revenue)
	}
	score(buyers, func(o *OrgStats) int64 { return -(to - o.lastMs) }, func(o *OrgStats, s int) { o.R = s })
	score(buyers, func(o *OrgStats) int64 { return o.Orders }, func(o *OrgStats, s int) { o.F = s })
	score(buyers, func(o *OrgStats) int64 { return o.Revenue }, func(o *OrgStats, s int) { o.M = s })
}

// score gives quintile scores: 1 + ⌊5 × (organizations strictly worse) / n⌋,
// so that ties share a score.
func score(orgs []*OrgStats, val func(*OrgStats) int64, set func(*OrgStats, int)) {
	n := len(orgs)
	vals := make([]int64, n)
	for i, o := range orgs {
		vals[i] = val(o)
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	for i, o := range orgs {
		worse, _ := slices.BinarySearch(sorted, vals[i])
		set(o, 1+5*worse/n)
	}
}

// monthOf is a time's month as year×12 + month−1 (UTC). Reports call it
// for every fact, so it computes the civil date from the day number
// (H. Hinnant's days-to-civil) instead of going through time.Time.
func monthOf(msec int64) int {
	z := floorDiv(msec, dayMs) + 719468 // days since 0000-03-01
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365], from March
	mp := (5*doy + 2) / 153                                // [0, 11], March = 0
	y, m := yoe+era*400, mp+2                              // m: month−1, 2..13
	if m >= 12 {
		y, m = y+1, m-12
	}
	return int(y*12 + m)
}

func monthName(m int) string {
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}
