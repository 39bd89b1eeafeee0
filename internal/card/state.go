package card

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Kinds of card: what the card shows first, from the program's mechanics.
const (
	KindStamps   = "stamps"
	KindCashback = "cashback" // a point type whose unit is a currency
	KindPoints   = "points"
	KindDiscount = "discount" // a fixed or cumulative discount card
)

// State is what a card shows now.
type State struct {
	Kind     string    `json:"kind" enum:"stamps,cashback,points,discount"`
	Discount *Discount `json:"discount,omitempty"`
	Balances []Balance `json:"balances"`
	Stamps   *Stamps   `json:"stamps,omitempty"`
	Coupons  []Coupon  `json:"coupons"`
	Tier     *Tier     `json:"tier,omitempty"`
	Enrolled bool      `json:"enrolled"`
	AsOf     time.Time `json:"as_of"`
	// DesignAt is when the program's card design last changed (nil: the
	// default design): a new design changes what the passes show.
	DesignAt *time.Time `json:"design_updated_at,omitempty"`
}

// Discount is the card's discount rate and the way to the next step.
type Discount struct {
	Name          string `json:"name"`
	PercentBP     int64  `json:"percent_bp" doc:"Basis points: 500 is 5%"`
	NextPercentBP int64  `json:"next_percent_bp,omitempty"`
	Remaining     int64  `json:"remaining,omitempty" doc:"Spend (minor units) still needed for the next step"`
	Reason        string `json:"reason"`
}

// Balance is a wallet of the card's owner in one of the program's point
// types.
type Balance struct {
	PointType  string     `json:"point_type"`
	Name       string     `json:"name"`
	Unit       string     `json:"unit"`
	Currency   string     `json:"currency,omitempty"`
	Available  int64      `json:"available"`
	Pending    int64      `json:"pending"`
	NextExpiry *time.Time `json:"next_expiry,omitempty"`
	Expiring   int64      `json:"expiring,omitempty" doc:"Points expiring at next_expiry"`
}

// Stamps is a stamp card's progress: Have of Needed toward the next reward.
type Stamps struct {
	Have      int64 `json:"have"`
	Needed    int64 `json:"needed"`
	Completed int64 `json:"completed"`
}

// Coupon is a coupon the card's owner can use.
type Coupon struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Tier is the organization's level and the way to the next one.
type Tier struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Next      string `json:"next,omitempty"`
	Remaining int64  `json:"remaining,omitempty"`
	Metric    string `json:"metric"`
	Value     int64  `json:"value"`
	AtRisk    bool   `json:"at_risk"`
}

// maxCoupons a card lists.
const maxCoupons = 20

// State returns a card's live state: the organization's standing in the
// program (tier, stamps, discount steps), the owner's wallets in the
// program's point types and the coupons it can use.
func (s *Service) State(ctx context.Context, p access.Principal, c Card) (State, error) {
	st := State{Balances: []Balance{}, Coupons: []Coupon{}, AsOf: s.Clock.Now()}
	c, err := s.current(ctx, p, c, &st)
	if err != nil {
		return st, err
	}
	ps, err := s.Standings.Status(ctx, p, c.ProgramID, c.OrganizationID)
	if err != nil && !noRules(err) {
		return st, err
	}
	st.fromStanding(ps.ParticipantStatus)
	pts, err := s.Balances.ListPointTypes(ctx, p, c.ProgramID)
	if err != nil {
		return st, err
	}
	bs, err := s.Balances.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerType(c.OwnerType), ID: c.OwnerID}, 0)
	if err != nil {
		return st, err
	}
	st.fromBalances(pts, bs)
	if err := s.coupons(ctx, p, c, &st); err != nil {
		return st, err
	}
	st.Kind = st.kind()
	return st, nil
}

// current reads the member's organization now (a member who moved shows
// the standing and coupons of the organization they work at) and when
// the program's design last changed (passes show the design too).
func (s *Service) current(ctx context.Context, p access.Principal, c Card, st *State) (Card, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) (Card, error) {
		d, err := tx.GetDesign(ctx, p.TenantID, c.ProgramID)
		if err == nil {
			st.DesignAt = &d.UpdatedAt
		} else if !errs.Is(err, errs.NotFound) {
			return c, err
		}
		if c.OwnerType != OwnerMember {
			return c, nil
		}
		m, err := tx.GetMember(ctx, p.TenantID, c.OwnerID)
		c.OrganizationID = m.OrganizationID
		return c, err
	})
}

// noRules is a program without a version yet: a card with no standing.
func noRules(err error) bool { e := errs.As(err); return e != nil && e.Code == "no_version" }

func (st *State) fromStanding(ps engine.ParticipantStatus) {
	st.Enrolled = ps.Enrolled
	if t := ps.Tier; t != nil {
		st.Tier = &Tier{Code: t.Level.Code, Name: t.Level.Name, Metric: t.Metric, Value: t.Value, Remaining: t.Remaining, AtRisk: t.AtRisk}
		if t.Next != nil {
			st.Tier.Next = t.Next.Name
		}
	}
	if sc := ps.Stamps; sc != nil {
		st.Stamps = &Stamps{Have: sc.Total, Needed: sc.Needed, Completed: sc.Completed}
	}
	for _, d := range ps.Discounts { // the first cumulative discount is the card's
		st.Discount = &Discount{Name: d.Name, PercentBP: d.PercentBP, NextPercentBP: d.NextPercentBP, Remaining: d.Remaining, Reason: d.Reason}
		break
	}
	if st.Discount == nil && st.Tier != nil && ps.Tier.Level.DiscountBP > 0 {
		st.Discount = &Discount{Name: ps.Tier.Level.Name, PercentBP: ps.Tier.Level.DiscountBP, Reason: "the " + ps.Tier.Level.Name + " level's discount"}
	}
}

// fromBalances lists a balance per point type of the program, zero where
// the owner has no wallet yet.
func (st *State) fromBalances(pts []ledger.PointType, bs []ledger.Balance) {
	for _, pt := range pts {
		b := ledger.Balance{PointType: pt}
		for _, w := range bs {
			if w.PointType.ID == pt.ID {
				b = w
			}
		}
		out := Balance{PointType: b.PointType.Code, Name: b.PointType.Name, Unit: string(b.PointType.Unit), Available: b.Account.Available, Pending: b.Account.Pending}
		if b.PointType.Unit == "currency" {
			out.Currency = b.PointType.Currency
		}
		if len(b.NextExpiries) > 0 {
			at := b.NextExpiries[0].At
			out.NextExpiry, out.Expiring = &at, b.NextExpiries[0].Amount
		}
		st.Balances = append(st.Balances, out)
	}
}

// coupons lists the available coupons of the card's program held by the
// organization (for an organization's card) or by the member.
func (s *Service) coupons(ctx context.Context, p access.Principal, c Card, st *State) error {
	in := coupon.ListInput{Organization: c.OrganizationID, Status: coupon.Available}
	if c.OwnerType == OwnerMember {
		in.Member = c.OwnerID
	}
	pg, err := s.Coupons.List(ctx, p, in, page.Request{Limit: 100})
	for _, k := range pg.Items {
		if k.ProgramID == c.ProgramID && len(st.Coupons) < maxCoupons {
			st.Coupons = append(st.Coupons, Coupon{ID: k.ID, Name: k.Name, ExpiresAt: k.ExpiresAt})
		}
	}
	return err
}

// kind is what the card shows first: stamps on a stamp card, else the
// balance of a points or cashback card, else its discount.
func (st *State) kind() string {
	switch {
	case st.Stamps != nil:
		return KindStamps
	case len(st.Balances) > 0 && st.Balances[0].Unit == "currency":
		return KindCashback
	case len(st.Balances) > 0:
		return KindPoints
	}
	return KindDiscount
}
