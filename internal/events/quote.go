package events

import (
	"context"
	"fmt"
	"github.com/loyal-b2b/loyal/internal/party"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// QuoteInput is a cart to price.
type QuoteInput struct {
	Program       string      `json:"program,omitempty"` // needed when several programs run
	Organization  string      `json:"organization"`
	Member        string      `json:"member,omitempty"`
	Currency      string      `json:"currency"`
	Lines         []LineInput `json:"lines"`
	Codes         []string    `json:"codes,omitempty"`
	Coupons       []string    `json:"coupons,omitempty"`
	PointsToSpend int64       `json:"points_to_spend,omitempty"`
}

// Quote prices a cart: discounts line by line and for the order under the
// program's stacking policy, the points payment and the points the order
// would earn, each with its reason. It writes nothing; confirming the
// order is sending the same lines as an order event.
func (s *Service) Quote(ctx context.Context, p access.Principal, in QuoteInput) (engine.QuoteResult, error) {
	if err := p.Can(access.ReadData); err != nil {
		return engine.QuoteResult{}, err
	}
	now := s.Clock.Now()
	ev, err := check(Input{Type: engine.Order, Source: "quote", ExternalID: "quote", OccurredAt: now, Organization: in.Organization,
		Currency: in.Currency, Lines: in.Lines, PointsSpent: in.PointsToSpend, Codes: in.Codes, Coupons: in.Coupons}, now)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	var q engine.QuoteResult
	err = s.Store.Read(ctx, func(tx Tx) error {
		qt := quoting{people{unit: s.readUnit(tx, p, now)}}
		q, err = qt.quote(ctx, in, ev)
		return err
	})
	return q, err
}

// quoting is the quote's pipeline over a read's unit of work: the
// program, the people, the wallet, the codes and coupons, then the engine.
type quoting struct{ people }

func (qt *quoting) quote(ctx context.Context, in QuoteInput, ev engine.Event) (engine.QuoteResult, error) {
	var err error
	if qt.programs, err = qt.s.running(ctx, qt.tx, qt.p.TenantID); err != nil {
		return engine.QuoteResult{}, err
	}
	r, err := qt.pick(in.Program)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	org, err := qt.organization(ctx, &Input{Organization: in.Organization})
	if err != nil {
		return engine.QuoteResult{}, err
	}
	m, err := qt.member(ctx, &Input{Member: in.Member}, org.ID)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	part, err := qt.participant(ctx, r, org, m, qt.now)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	v := r.at(qt.now)
	ps, err := qt.programState(ctx, v)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	cart := engine.Cart{Currency: ev.Currency, Lines: ev.Lines, PointsToSpend: in.PointsToSpend}
	if cart.Balance, err = qt.balance(ctx, v, org.ID, in.PointsToSpend); err != nil {
		return engine.QuoteResult{}, err
	}
	refused, err := qt.codes(ctx, r.prog.ID, org.ID, m, ev.Codes, &cart)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	notUsable, err := qt.coupons(ctx, r.prog.ID, org.ID, m, ev.Coupons, &cart)
	if err != nil {
		return engine.QuoteResult{}, err
	}
	refused = append(refused, notUsable...)
	q, err := engine.Quote(v, ps.Program, part, cart, qt.now)
	if err != nil {
		return q, err
	}
	q.Refused = append(q.Refused, refused...)
	return q, nil
}

// codes resolves a cart's promo codes into its discounts, with the reasons
// of those refused.
func (qt *quoting) codes(ctx context.Context, programID, orgID string, m *party.Member, codes []string, cart *engine.Cart) ([]pricing.Refused, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	if qt.s.Codes == nil {
		var out []pricing.Refused
		for _, c := range codes {
			out = append(out, pricing.Refused{DiscountID: "code:" + c, Name: c, Reason: "unknown promo code"})
		}
		return out, nil
	}
	req := CodeRequest{ProgramID: programID, OrganizationID: orgID, Codes: codes, Cart: *cart, At: qt.now}
	if m != nil {
		req.MemberID = m.ID
	}
	ds, refused, err := qt.s.Codes.ResolveCodes(ctx, qt.tx, qt.p, req)
	cart.Codes = ds
	return refused, err
}

// coupons resolves the coupons a cart uses, with the reasons of those
// that cannot be used.
func (qt *quoting) coupons(ctx context.Context, programID, orgID string, m *party.Member, ids []string, cart *engine.Cart) ([]pricing.Refused, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if qt.s.Coupons == nil {
		var out []pricing.Refused
		for _, id := range ids {
			out = append(out, pricing.Refused{DiscountID: "coupon:" + id, Name: id, Reason: "unknown coupon"})
		}
		return out, nil
	}
	req := CouponRequest{ProgramID: programID, OrganizationID: orgID, IDs: ids, At: qt.now}
	if m != nil {
		req.MemberID = m.ID
	}
	uses, refused, err := qt.s.Coupons.ResolveCoupons(ctx, qt.tx, qt.p, req)
	cart.Coupons = uses
	return refused, err
}

// pick chooses the program to quote with.
func (qt *quoting) pick(id string) (*running, error) {
	if id != "" {
		if r := qt.find(id); r != nil {
			return r, nil
		}
		return nil, errs.InvalidField("program", "not_running", "program %q is not running (only pilot and active programs quote)", id)
	}
	switch len(qt.programs) {
	case 0:
		return nil, errs.E(errs.Conflict, "no_running_program", "no program is running: activate one first")
	case 1:
		return qt.programs[0], nil
	}
	return nil, errs.InvalidField("program", "required", "%d programs are running: name the one to quote with", len(qt.programs))
}

// balance is the organization's available points when it asks to pay
// with them.
func (qt *quoting) balance(ctx context.Context, v *engine.Program, orgID string, want int64) (int64, error) {
	if want <= 0 || v.Def.PointTypeID == "" {
		return 0, nil
	}
	a, err := qt.tx.GetAccount(ctx, qt.p.TenantID, ledger.AccountID(v.Def.PointTypeID, ledger.OwnerOrganization, orgID))
	if errs.Is(err, errs.NotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the wallet: %w", err)
	}
	return a.Available, nil
}
