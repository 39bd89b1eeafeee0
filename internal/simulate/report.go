package simulate

import (
	"cmp"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// Totals are a variant's running counts: points, and money in minor units.
type Totals struct {
	Events           int   `json:"events"` // replayed (not refused)
	Issued           int64 `json:"issued"` // points credited (earns and period bonuses)
	Redeemed         int64 `json:"redeemed"`
	RedeemedByEvents int64 `json:"redeemed_by_events"` // points_spent of orders
	RedeemedAssumed  int64 `json:"redeemed_assumed"`   // by the redemption-rate assumption
	Unfunded         int64 `json:"unfunded"`           // points_spent the wallet could not cover
	Expired          int64 `json:"expired"`            // breakage
	ClawedBack       int64 `json:"clawed_back"`
	Outstanding      int64 `json:"outstanding"` // held in wallets at the end
	Revenue          int64 `json:"revenue"`     // purchases less returns, minor units
	Margin           int64 `json:"margin"`
	QuoteDiscounts   int64 `json:"quote_discounts"` // discounts the program's mechanics give at checkout
}

// Money is a variant's economics in minor currency units.
type Money struct {
	IssuedValue     int64 `json:"issued_value"`
	RedeemedValue   int64 `json:"redeemed_value"`
	ExpiredValue    int64 `json:"expired_value"`
	Liability       int64 `json:"liability"`          // outstanding points at their value
	DiscountGiven   int64 `json:"discount_given"`     // checkout discounts + points spent as discounts
	RewardCost      int64 `json:"reward_cost"`        // points spent on rewards, at the assumed cost
	Cost            int64 `json:"cost"`               // discount given + reward cost
	CostOfRevenueBP int64 `json:"cost_of_revenue_bp"` // cost / revenue
	CostOfMarginBP  int64 `json:"cost_of_margin_bp"`  // cost / margin (0 when the margin is unknown)
}

// Month is one calendar month of a variant (the last may be partial).
type Month struct {
	Month           string         `json:"month"`
	Issued          int64          `json:"issued"`
	Redeemed        int64          `json:"redeemed"`
	Expired         int64          `json:"expired"`
	ClawedBack      int64          `json:"clawed_back"`
	Revenue         int64          `json:"revenue"`
	Discounts       int64          `json:"quote_discounts"`
	LiabilityPoints int64          `json:"liability_points"` // at the month's end
	LiabilityValue  int64          `json:"liability_value"`
	Tiers           map[string]int `json:"tiers,omitempty"` // enrolled organizations per tier at the month's end
}

// OrgBenefit is what one organization gained.
type OrgBenefit struct {
	Organization string `json:"organization"`
	Name         string `json:"name,omitempty"`
	Revenue      int64  `json:"revenue"`
	Points       int64  `json:"points"` // earned less clawed back
	Discounts    int64  `json:"discounts"`
	Benefit      int64  `json:"benefit"` // points at their value + discounts, minor units
}

// Segment is the effect on the organizations of one segment value.
type Segment struct {
	Value         string `json:"value"`
	Organizations int    `json:"organizations"`
	Revenue       int64  `json:"revenue"`
	Points        int64  `json:"points"`
	Benefit       int64  `json:"benefit"`
	BenefitBP     int64  `json:"benefit_of_revenue_bp"`
}

// VariantReport is one variant's result.
type VariantReport struct {
	Name        string               `json:"name"`
	Currency    string               `json:"currency"`
	Points      Totals               `json:"points"`
	Money       Money                `json:"money"`
	Months      []Month              `json:"months"`
	Top         []OrgBenefit         `json:"top_organizations"`
	Segments    map[string][]Segment `json:"segments"` // by type, region, country
	Refused     map[string]int       `json:"refused"`  // events live would refuse, by reason
	Coupons     CouponTotals         `json:"coupons"`
	Codes       CodeTotals           `json:"promo_codes"`
	Memberships MembershipTotals     `json:"memberships"`
	Goals       GoalTotals           `json:"goals"`
	// Balances are the wallets at the end (points held), by owner id
	// (organizations and members).
	Balances map[string]int64 `json:"balances,omitempty"`
}

type orgStats struct {
	revenue, points, discounts int64
	typ, region, country       string
	name                       string
}

// stat is an organization's running figures; segments come from the
// organizations table, else from the event's attributes.
func (r *runner) stat(o Org, ev *Event) *orgStats {
	s := r.stats[o.ID]
	if s == nil {
		s = &orgStats{typ: o.Type, region: o.Region, country: o.Country, name: o.Name}
		r.stats[o.ID] = s
	}
	if ev != nil && ev.Attributes != nil {
		fill(&s.typ, ev.Attributes["organization_type"])
		fill(&s.region, ev.Attributes["region"])
		fill(&s.country, ev.Attributes["country"])
	}
	return s
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// closeMonth records the month that ends at end.
func (r *runner) closeMonth(end time.Time) {
	t := r.tot
	out := r.bk.outstanding()
	m := Month{Month: engine.MonthKey(end.Add(-time.Millisecond)), Issued: t.Issued - r.prev.Issued,
		Redeemed: t.RedeemedByEvents + t.RedeemedAssumed - r.prev.RedeemedByEvents - r.prev.RedeemedAssumed,
		Expired:  t.Expired - r.prev.Expired, ClawedBack: t.ClawedBack - r.prev.ClawedBack, Revenue: t.Revenue - r.prev.Revenue,
		Discounts: t.QuoteDiscounts - r.prev.QuoteDiscounts, LiabilityPoints: out, LiabilityValue: r.value2(out)}
	if r.v.latest().Def.Tiers != nil {
		m.Tiers = map[string]int{}
		for _, os := range r.orgs {
			if os.st.EnrolledAt != nil {
				m.Tiers[cmp.Or(os.st.Tier, "none")]++
			}
		}
	}
	r.months = append(r.months, m)
	r.prev = t
}

// value2 is points at the point type's value, rounded as it says.
func (r *runner) value2(n int64) int64 {
	v, err := r.v.PointType.MoneyValue(n)
	if err != nil {
		return 0
	}
	return v
}

// finish closes the range and builds the variant's report.
func (r *runner) finish() VariantReport {
	to := r.in.To
	for !r.monthEnd.After(to) {
		r.runTimers(r.monthEnd)
		r.closeMonth(r.monthEnd)
		r.monthEnd = r.monthEnd.AddDate(0, 1, 0)
	}
	r.runTimers(to)
	if start := r.monthEnd.AddDate(0, -1, 0); to.After(start) {
		r.closeMonth(to)
	}
	t := r.tot
	t.Redeemed, t.Outstanding = t.RedeemedByEvents+t.RedeemedAssumed, r.bk.outstanding()
	a := r.in.Assumptions
	assumed := r.value2(t.RedeemedAssumed)
	asDiscount := assumed * a.discountShare() / 10000
	m := Money{IssuedValue: r.value2(t.Issued), RedeemedValue: r.value2(t.Redeemed), ExpiredValue: r.value2(t.Expired),
		Liability: r.value2(t.Outstanding), RewardCost: (assumed - asDiscount) * a.rewardCost() / 10000}
	m.DiscountGiven = t.QuoteDiscounts + r.value2(t.RedeemedByEvents) + asDiscount
	m.Cost = m.DiscountGiven + m.RewardCost
	if t.Revenue > 0 {
		m.CostOfRevenueBP = m.Cost * 10000 / t.Revenue
	}
	if t.Margin > 0 {
		m.CostOfMarginBP = m.Cost * 10000 / t.Margin
	}
	vr := VariantReport{Name: r.v.Name, Currency: r.v.latest().Def.Currency, Points: t, Money: m, Months: r.months,
		Refused: r.refused, Balances: map[string]int64{}, Coupons: r.couponTotals(), Codes: r.codes, Memberships: r.memberTot, Goals: r.goalTot}
	for o, w := range r.bk.wallets {
		vr.Balances[o.ID] = w.available + w.pending
	}
	vr.Top, vr.Segments = r.benefits()
	return vr
}

// benefits ranks organizations by what they gained and sums segments.
func (r *runner) benefits() ([]OrgBenefit, map[string][]Segment) {
	all := make([]OrgBenefit, 0, len(r.stats))
	segs := map[string]map[string]*Segment{"type": {}, "region": {}, "country": {}}
	for id, s := range r.stats {
		b := OrgBenefit{Organization: id, Name: s.name, Revenue: s.revenue, Points: s.points, Discounts: s.discounts}
		b.Benefit = r.value2(s.points) + s.discounts
		all = append(all, b)
		for dim, val := range map[string]string{"type": s.typ, "region": s.region, "country": s.country} {
			seg := segs[dim][cmp.Or(val, "unknown")]
			if seg == nil {
				seg = &Segment{Value: cmp.Or(val, "unknown")}
				segs[dim][seg.Value] = seg
			}
			seg.Organizations++
			seg.Revenue += b.Revenue
			seg.Points += b.Points
			seg.Benefit += b.Benefit
		}
	}
	slices.SortFunc(all, func(a, b OrgBenefit) int {
		return cmp.Or(cmp.Compare(b.Benefit, a.Benefit), cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(a.Organization, b.Organization))
	})
	out := map[string][]Segment{}
	for dim, m := range segs {
		list := make([]Segment, 0, len(m))
		for _, s := range m {
			if s.Revenue > 0 {
				s.BenefitBP = s.Benefit * 10000 / s.Revenue
			}
			list = append(list, *s)
		}
		slices.SortFunc(list, func(a, b Segment) int {
			return cmp.Or(cmp.Compare(b.Revenue, a.Revenue), cmp.Compare(a.Value, b.Value))
		})
		out[dim] = list
	}
	return all[:min(10, len(all))], out
}
