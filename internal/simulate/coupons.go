package simulate

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// CouponTotals count a variant's coupons, as internal/coupon keeps them
// live: issued by grants, used by the orders that name them (with what
// they took off), given back by full returns, expired.
type CouponTotals struct {
	Issued    int64 `json:"issued"`
	Used      int64 `json:"used"`
	Restored  int64 `json:"restored"`
	Expired   int64 `json:"expired"`   // by the end of the range, unused
	Available int64 `json:"available"` // at the end
	Discount  int64 `json:"discount"`  // what the used coupons took off, each priced alone
}

// coupons are the variant's coupons by id; an id derives from the event
// that granted it, so orders replayed from storage name them as live.
type coupons map[string]*coupon.Coupon

// usable are the coupons an order names that its holder may use at the
// order's time, for the quote; the rest are ignored there (the order
// itself is refused by use).
func (r *runner) usable(ev *Event) []engine.CouponUse {
	var out []engine.CouponUse
	for _, id := range ev.Coupons {
		if c := r.coupons[id]; c != nil && coupon.UsableAt(*c, ev.Org, ev.Member, ev.OccurredAt) == "" {
			out = append(out, c.Engine())
		}
	}
	return out
}

// useCoupons uses the coupons an order names as the coupon hook does, or
// refuses the event (nothing of it applies) with the hook's error.
func (r *runner) useCoupons(ev *Event, out *engine.Outcome) error {
	if len(ev.Coupons) == 0 {
		return nil
	}
	refuse := errs.E(errs.Conflict, "coupon_unavailable", "coupon unavailable")
	if ev.Type != engine.Invoice && ev.Type != engine.Order || out == nil || out.Status != engine.Applied {
		return refuse
	}
	type use struct {
		c        *coupon.Coupon
		discount int64
	}
	uses := make([]use, 0, len(ev.Coupons))
	for _, id := range ev.Coupons {
		c := r.coupons[id]
		if c == nil || coupon.UsableAt(*c, ev.Org, ev.Member, ev.OccurredAt) != "" || c.ProgramID != out.ProgramID {
			return refuse
		}
		d, why := coupon.Price(*c, ev.Lines)
		if why != "" {
			return refuse
		}
		uses = append(uses, use{c, d})
	}
	for _, u := range uses {
		at := ev.OccurredAt
		u.c.Status, u.c.UsedEvent, u.c.UsedAt, u.c.Discount = coupon.Used, ev.ID, &at, u.discount
		r.cpn.Used++
		r.cpn.Discount += u.discount
	}
	return nil
}

// issueCoupons issues the coupons an outcome grants, as the coupon hook.
func (r *runner) issueCoupons(ev *Event, out *engine.Outcome) {
	for i, g := range out.Rewards {
		c := coupon.FromGrant("", ev.Org, ev.ID, out.ProgramID, i, g, ev.OccurredAt)
		r.coupons[c.ID] = &c
		r.cpn.Issued++
		if c.ExpiresAt != nil {
			r.tm.push(timer{at: *c.ExpiresAt, kind: couponTimer, coupon: c.ID})
		}
	}
}

// expireCoupon marks a coupon expired at the end of its validity, unless
// it was used (a restored coupon is checked again then).
func (r *runner) expireCoupon(id string) {
	if c := r.coupons[id]; c != nil && c.Status == coupon.Available {
		c.Status = coupon.Expired
		r.cpn.Expired++
	}
}

// restoreCoupons gives back the coupons of an order a return completes,
// when their policy says so, as the coupon hook.
func (r *runner) restoreCoupons(inv *invoice, ret *Event, at time.Time) {
	if len(inv.coupons) == 0 || !inv.fullyReturned(ret) {
		return
	}
	for _, id := range inv.coupons {
		c := r.coupons[id]
		if c == nil || c.Status != coupon.Used || c.UsedEvent != inv.ev.ID || c.Benefit == nil || c.Benefit.OnReturn != engine.CouponRestore {
			continue
		}
		r.cpn.Used--
		r.cpn.Discount -= c.Discount
		r.cpn.Restored++
		c.Status, c.UsedEvent, c.UsedAt, c.Discount = coupon.Available, "", nil, 0
		c.Restored++
		if c.ExpiresAt != nil && !at.Before(*c.ExpiresAt) {
			c.Status = coupon.Expired
			r.cpn.Expired++
		}
	}
}

// fullyReturned is coupon's rule: every unit came back, by the units the
// program recorded as returned, or by this return's lines when it did not.
func (inv *invoice) fullyReturned(ret *Event) bool {
	var returned []int64
	if len(inv.returned) == len(inv.ev.Lines) {
		returned = inv.returned
	}
	return coupon.FullyReturned(inv.ev.Lines, returned, ret.Lines)
}

// couponTotals are the coupon counts at the end of the range.
func (r *runner) couponTotals() CouponTotals {
	t := r.cpn
	for _, c := range r.coupons {
		if c.Status == coupon.Available {
			t.Available++
		}
	}
	return t
}
