package engine

import (
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Coupon kinds: what a coupon takes off the order it is used on.
const (
	CouponPercent  = "percent"      // PercentBP off the lines in scope
	CouponFixed    = "fixed_amount" // Amount off the amount in scope
	CouponFreeItem = "free_item"    // the cheapest unit in scope is free
)

// Coupon return policies: what a return of every line of the order that
// used a coupon does to it.
const (
	CouponForfeit = "forfeit" // the coupon stays used
	CouponRestore = "restore" // the coupon is available again, if still valid
)

// Coupon is a coupon a program issues: a stamp card's "11th pair free", a
// rule's "10% off the next order". A coupon or reward effect whose
// reward_id names one issues it with its benefit and validity; the
// checkout quote applies it and the order that names it uses it, once.
type Coupon struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Kind      string        `json:"kind"`
	PercentBP int64         `json:"percent_bp,omitempty"`
	Amount    int64         `json:"amount,omitempty"`
	MinOrder  int64         `json:"min_order,omitempty"`
	Scope     pricing.Scope `json:"scope,omitempty"`
	// ValidDays is how long the coupon may be used after it is issued (at
	// the time of the event that earned it); 0: without end.
	ValidDays int `json:"valid_days,omitempty"`
	// OnReturn is CouponForfeit (default) or CouponRestore.
	OnReturn string `json:"on_return,omitempty"`
}

// MaxCoupons bounds a definition's coupons.
const MaxCoupons = 50

// checkCoupons validates the definition's coupons.
func checkCoupons(f *errs.Fields, cs []Coupon) {
	if len(cs) > MaxCoupons {
		f.Add("coupons", "too_many", "at most %d coupons", MaxCoupons)
	}
	seen := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		field := fmt.Sprintf("coupons[%d].", i)
		switch {
		case c.ID == "" || len(c.ID) > 64:
			f.Add(field+"id", "required", "give each coupon an id of 1–64 characters; effects name it in reward_id")
		case seen[c.ID]:
			f.Add(field+"id", "duplicate", "coupon id %q is used twice", c.ID)
		}
		seen[c.ID] = true
		switch c.Kind {
		case CouponPercent:
			if c.PercentBP <= 0 || c.PercentBP > 10000 {
				f.Add(field+"percent_bp", "out_of_range", "a percent coupon takes 1 to 10000 basis points off (10000 = 100%%)")
			}
		case CouponFixed:
			if c.Amount <= 0 {
				f.Add(field+"amount", "out_of_range", "a fixed_amount coupon takes a positive amount (minor units) off")
			}
		case CouponFreeItem:
			if len(c.Scope.SKUs) == 0 && len(c.Scope.Categories) == 0 && len(c.Scope.Brands) == 0 {
				f.Add(field+"scope", "required", "a free_item coupon names the items it gives free: scope.skus, categories or brands")
			}
		default:
			f.Add(field+"kind", "invalid_choice", "%q is not a coupon kind: use percent, fixed_amount or free_item", c.Kind)
		}
		if c.MinOrder < 0 {
			f.Add(field+"min_order", "out_of_range", "must not be negative")
		}
		if c.ValidDays < 0 || c.ValidDays > 36500 {
			f.Add(field+"valid_days", "out_of_range", "must be between 0 (no end) and 36500 days")
		}
		if c.OnReturn != "" {
			oneOf(f, field+"on_return", c.OnReturn, CouponForfeit, CouponRestore)
		}
		if err := pricing.Validate(pricing.Discount{ID: c.ID, Kind: pricing.KindPercent, Scope: c.Scope}); err != nil {
			f.Add(field+"scope", "invalid_scope", "%s", message(err))
		}
	}
}

// checkGrant checks that a reward or coupon effect names a defined coupon
// when the definition has coupons. A definition without coupons records
// grants by name only (they are issued as entitlements staff use by hand).
func checkGrant(f *errs.Fields, field string, e Effect, cs []Coupon) {
	if len(cs) == 0 || e.Type != EffectCoupon {
		return
	}
	if findCoupon(cs, e.RewardID) == nil {
		f.Add(field, "unknown_coupon", "coupon %q is not among the definition's coupons", e.RewardID)
	}
}

func findCoupon(cs []Coupon, id string) *Coupon {
	for i := range cs {
		if cs[i].ID == id {
			return &cs[i]
		}
	}
	return nil
}

// grant records a reward or coupon given to an owner, with the coupon's
// benefit and end of validity when the program defines it.
func (e *evaluation) grant(typ, rewardID, name string, o owner, reason string) {
	g := Grant{Type: typ, RewardID: rewardID, Name: name, To: o.typ, ToID: o.id, Reason: reason}
	if c := findCoupon(e.p.Def.Coupons, rewardID); c != nil {
		cc := *c
		g.Coupon = &cc
		g.Name = orDefault(g.Name, c.Name)
		if c.ValidDays > 0 {
			t := e.ev.OccurredAt.AddDate(0, 0, c.ValidDays)
			g.ExpiresAt = &t
		}
	}
	e.out.Rewards = append(e.out.Rewards, g)
}

// CouponUse is a coupon the customer asks to use on a cart, as its holder
// has it: its benefit and validity.
type CouponUse struct {
	ID        string
	Name      string
	Benefit   Coupon
	ExpiresAt *time.Time
}

// CouponDiscount is the pricing discount a coupon gives on lines: a
// free_item coupon becomes the price of the cheapest unit in its scope,
// off that item's lines. The reason is set when it gives nothing here.
func CouponDiscount(u CouponUse, lines []Line) (pricing.Discount, string) {
	b := u.Benefit
	d := pricing.Discount{ID: "coupon:" + u.ID, Name: orDefault(u.Name, b.Name), MinOrder: b.MinOrder, Scope: b.Scope}
	switch b.Kind {
	case CouponPercent:
		d.Kind, d.PercentBP = pricing.KindPercent, b.PercentBP
	case CouponFixed:
		d.Kind, d.Amount = pricing.KindFixed, b.Amount
	case CouponFreeItem:
		d.Kind = pricing.KindFixed
		sku := ""
		for _, l := range lines {
			pl := pricing.Line{SKU: l.SKU, Category: l.Category, Brand: l.Brand, OnSale: l.OnSale}
			if b.Scope.Matches(pl) && l.UnitPrice > 0 && (d.Amount == 0 || l.UnitPrice < d.Amount) {
				d.Amount, sku = l.UnitPrice, l.SKU
			}
		}
		if d.Amount == 0 {
			return d, "none of the items it gives free is in the cart"
		}
		// One unit of the cheapest item in scope, on that item's lines.
		d.Scope.SKUs = []string{sku}
	default:
		return d, "it has no benefit at checkout: staff use it by hand"
	}
	return d, ""
}
