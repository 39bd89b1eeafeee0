package analytics

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// PointEconomics is one point type's movements over the range, in points
// and in money at the point type's value.
type PointEconomics struct {
	PointTypeID    string  `json:"point_type_id"`
	ProgramID      string  `json:"program_id"`
	Code           string  `json:"code"`
	Currency       string  `json:"currency"`
	Issued         int64   `json:"issued" doc:"Points out of issuance in the range (earns net of clawbacks and reversals)"`
	Redeemed       int64   `json:"redeemed" doc:"Points into redemption in the range"`
	Expired        int64   `json:"expired" doc:"Points into breakage in the range"`
	Adjusted       int64   `json:"adjusted" doc:"Points out of the adjustment account in the range (manual credits minus debits)"`
	Outstanding    int64   `json:"outstanding" doc:"Points in wallets at to (available and pending)"`
	IssuedValue    int64   `json:"issued_value"`
	RedeemedValue  int64   `json:"redeemed_value"`
	ExpiredValue   int64   `json:"expired_value"`
	LiabilityValue int64   `json:"liability_value" doc:"Outstanding points' money value at to"`
	BreakageRate   float64 `json:"breakage_rate" doc:"expired / issued, 4 decimals"`
}

// Economics is what the points cost against what participants bought.
type Economics struct {
	PointTypes     []PointEconomics `json:"point_types"`
	Revenue        int64            `json:"revenue" doc:"Net revenue of the covered organizations in the range"`
	Cost           int64            `json:"cost" doc:"Recorded line cost of that revenue (0 where none was sent)"`
	Margin         int64            `json:"margin" doc:"revenue − cost"`
	DiscountsGiven int64            `json:"discounts_given" doc:"Money value of points redeemed (points spent pay part of an order)"`
	RewardCost     int64            `json:"reward_cost" doc:"Money value of points issued minus points expired (issued points are owed until they expire)"`
	Liability      int64            `json:"liability" doc:"Money value of all outstanding points at to"`
	CostShare      float64          `json:"cost_share_of_revenue" doc:"reward_cost / revenue, 4 decimals"`
	ROI            *float64         `json:"roi" doc:"(margin − reward_cost) / reward_cost, 4 decimals; null when reward_cost ≤ 0"`
}

// Economics reports points and money over q: the program's point types
// and enrolled organizations, or all of them.
func (s *Service) Economics(ctx context.Context, p access.Principal, q Query) (Economics, error) {
	if err := s.prepare(ctx, p, &q); err != nil {
		return Economics{}, err
	}
	var points []PointEconomics
	orgs, err := s.filteredTotals(ctx, p, q, func() (err error) {
		points, err = txn.Get(ctx, s.Store, func(tx Tx) ([]PointEconomics, error) { return s.points(ctx, tx, p.TenantID, q) })
		return outOfRange(err)
	})
	if err != nil {
		return Economics{}, err
	}
	r := Economics{PointTypes: points}
	var c checked
	for _, o := range orgs {
		c.Add(&r.Revenue, o.Revenue)
		c.Add(&r.Cost, o.Cost)
	}
	r.Margin = c.Diff(r.Revenue, r.Cost)
	for _, pe := range r.PointTypes {
		c.Add(&r.DiscountsGiven, pe.RedeemedValue)
		c.Add(&r.RewardCost, c.Diff(pe.IssuedValue, pe.ExpiredValue))
		c.Add(&r.Liability, pe.LiabilityValue)
	}
	if err := c.err(); err != nil {
		return r, err
	}
	if r.Revenue > 0 {
		r.CostShare = round4(float64(r.RewardCost) / float64(r.Revenue))
	}
	if r.RewardCost > 0 {
		roi := round4((float64(r.Margin) - float64(r.RewardCost)) / float64(r.RewardCost))
		r.ROI = &roi
	}
	return r, nil
}

// points sums the system accounts of each point type.
func (s *Service) points(ctx context.Context, tx Tx, tenantID string, q Query) ([]PointEconomics, error) {
	types, err := tx.PointTypesOf(ctx, tenantID, q.ProgramID)
	if err != nil {
		return nil, err
	}
	out := make([]PointEconomics, 0, len(types))
	for _, pt := range types {
		accts := make([]string, len(ledger.SystemKinds))
		for i, k := range ledger.SystemKinds {
			accts[i] = ledger.SystemAccountID(pt.ID, k)
		}
		sums, err := s.systemSums(ctx, tx, tenantID, accts, q.From.UnixMilli(), q.To.UnixMilli())
		if err != nil {
			return nil, err
		}
		pe := PointEconomics{PointTypeID: pt.ID, ProgramID: pt.ProgramID, Code: pt.Code, Currency: pt.Currency}
		var all int64
		var c checked
		for _, sm := range sums {
			c.Add(&all, sm.BeforeTo)
			switch sm.AccountID {
			case accts[0]:
				pe.Issued = c.Diff(0, sm.InRange)
			case accts[1]:
				pe.Redeemed = sm.InRange
			case accts[2]:
				pe.Expired = sm.InRange
			case accts[3]:
				pe.Adjusted = c.Diff(0, sm.InRange)
			}
		}
		pe.Outstanding = c.Diff(0, all) // wallets hold what the system accounts gave out
		if err := c.err(); err != nil {
			return nil, err
		}
		if err := values(pt, &pe); err != nil {
			return nil, outOfRange(err)
		}
		out = append(out, pe)
	}
	return out, nil
}

// values prices the point counts at the point type's value.
func values(pt ledger.PointType, pe *PointEconomics) error {
	var err error
	for _, v := range []struct {
		n   int64
		dst *int64
	}{{pe.Issued, &pe.IssuedValue}, {pe.Redeemed, &pe.RedeemedValue}, {pe.Expired, &pe.ExpiredValue}, {pe.Outstanding, &pe.LiabilityValue}} {
		if *v.dst, err = pt.MoneyValue(v.n); err != nil {
			return err
		}
	}
	pe.BreakageRate = ratio(pe.Expired, pe.Issued)
	return nil
}
