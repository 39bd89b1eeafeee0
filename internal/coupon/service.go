package coupon

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// ListInput selects the coupons of an organization, or of one member.
type ListInput struct {
	Organization string // id or ext:<external id>
	Member       string // id or ext:<external id>: only that member's
	Status       string // available, used, expired or "" for all
}

// List returns a page of an organization's coupons (or a member's), newest
// first by id order of issue.
func (s *Service) List(ctx context.Context, p access.Principal, in ListInput, r page.Request) (page.Page[Coupon], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Coupon]{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "status", in.Status, false, Statuses)
	if err := f.Err(); err != nil {
		return page.Page[Coupon]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Coupon, error) {
		org, err := party.OrgByRef(ctx, tx, p.TenantID, in.Organization) // a path: unknown is 404
		if err != nil {
			return nil, err
		}
		if err := p.Reaches(org.AccountManagerID); err != nil {
			return nil, err
		}
		flt := Filter{OrganizationID: org.ID, Status: in.Status}
		if in.Member != "" {
			m, err := party.MemberByRef(ctx, tx, p.TenantID, in.Member)
			if errs.Is(err, errs.NotFound) || err == nil && m.OrganizationID != org.ID {
				return nil, errs.InvalidField("member", "unknown_member", "no member %q at this organization", in.Member)
			}
			if err != nil {
				return nil, err
			}
			flt.OwnerType, flt.OwnerID = engine.OwnerMember, m.ID
		}
		return tx.ListCoupons(ctx, p.TenantID, flt, r)
	})
	return page.Build(r, rows, func(c Coupon) string { return c.ID }), err
}

// Get returns one coupon.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Coupon, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Coupon{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Coupon, error) {
		c, err := tx.GetCoupon(ctx, p.TenantID, id)
		if err != nil {
			return c, err
		}
		return c, p.RequireReach(ctx, tx, "organization", c.OrganizationID)
	})
}

// UseByHand marks a coupon used by staff — a gift handed over, a service
// given — with a note in the audit log. Only an available coupon can be
// used; one with a benefit at checkout is used by naming it on an order.
func (s *Service) UseByHand(ctx context.Context, p access.Principal, id, note string) (Coupon, error) {
	if err := p.Can(access.Redeem); err != nil {
		return Coupon{}, err
	}
	var f errs.Fields
	note = valid.Text(&f, "note", note, true, 500)
	if err := f.Err(); err != nil {
		return Coupon{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Coupon, error) {
		c, err := tx.GetCoupon(ctx, p.TenantID, id)
		if err != nil {
			return c, err
		}
		if err := p.RequireReach(ctx, tx, "organization", c.OrganizationID); err != nil {
			return c, err
		}
		switch {
		case c.Benefit != nil:
			return c, errs.E(errs.Conflict, "use_at_checkout", "coupon %s gives a discount at checkout: name it in the order's coupons", id)
		case c.Status != Available || c.ExpiresAt != nil && !now.Before(*c.ExpiresAt):
			return c, errs.E(errs.Conflict, "coupon_unavailable", "coupon %s is %s", id, statusAt(c, now))
		}
		ok, err := tx.UseCoupon(ctx, p.TenantID, id, Use{At: now})
		if err != nil {
			return c, err
		}
		if !ok {
			return c, errs.E(errs.Conflict, "coupon_unavailable", "coupon %s was used meanwhile", id)
		}
		after := c
		after.Status, after.UsedAt, after.UpdatedAt = Used, &now, now
		return after, audit.Record(ctx, tx, p, now, "coupon.used", "coupon", id, c, map[string]any{"coupon": after, "note": note})
	})
}

// statusAt is a coupon's status at now: available coupons past their end
// read as expired before the job marks them.
func statusAt(c Coupon, now time.Time) string {
	if c.Status == Available && c.ExpiresAt != nil && !now.Before(*c.ExpiresAt) {
		return Expired
	}
	return c.Status
}

// ExpireDue marks every available coupon of a tenant whose validity ended
// by at expired, and returns how many. Running it again changes nothing.
func (s *Service) ExpireDue(ctx context.Context, tenantID string, at time.Time) (int64, error) {
	return txn.Do(ctx, s.Store, func(tx Tx) (int64, error) { return tx.ExpireCoupons(ctx, tenantID, at) })
}

// ResolveCoupons implements events.CouponResolver: the coupons of the
// participant a quoted cart may use now, and why each other may not.
func (s *Service) ResolveCoupons(ctx context.Context, etx events.Tx, p access.Principal, req events.CouponRequest) ([]engine.CouponUse, []pricing.Refused, error) {
	tx, err := events.TxAs[Tx](etx)
	if err != nil {
		return nil, nil, err
	}
	var uses []engine.CouponUse
	var refused []pricing.Refused
	for _, id := range req.IDs {
		c, err := tx.GetCoupon(ctx, p.TenantID, id)
		why := ""
		switch {
		case errs.Is(err, errs.NotFound):
			why = "unknown coupon"
		case err != nil:
			return nil, nil, err
		case c.ProgramID != req.ProgramID && c.OrganizationID == req.OrganizationID:
			why = "a coupon of another program"
		default:
			why = UsableAt(c, req.OrganizationID, req.MemberID, req.At)
		}
		if why != "" {
			name := c.Name
			if why == "unknown coupon" {
				name = id // another organization's coupon: say nothing of it
			}
			refused = append(refused, pricing.Refused{DiscountID: "coupon:" + id, Name: name, Reason: why})
			continue
		}
		uses = append(uses, c.Engine())
	}
	return uses, refused, nil
}
