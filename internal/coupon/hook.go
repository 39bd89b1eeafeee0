package coupon

import (
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (*Service) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook. In the event's transaction it uses
// the coupons an order names (each refusal refuses the event), issues the
// coupons the programs' outcomes grant, and gives back, per policy, the
// coupons of an order that a return brings back in full.
func (s *Service) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	grants := 0
	for _, r := range rec.Results {
		grants += len(r.Rewards)
	}
	ev := &rec.Event
	if grants == 0 && len(ev.Coupons) == 0 && ev.Type != engine.Return {
		return nil
	}
	tx, err := events.TxAs[Tx](h.Tx)
	if err != nil {
		return err
	}
	if len(ev.Coupons) > 0 {
		if err := s.useAll(ctx, tx, h, rec); err != nil {
			return err
		}
	}
	if grants > 0 {
		if err := s.issue(ctx, tx, h, rec, grants); err != nil {
			return err
		}
	}
	if ev.Type == engine.Return {
		return s.restore(ctx, tx, h, rec)
	}
	return nil
}

// issue stores the coupons the outcomes grant and names each in its grant
// (the event's answer and history show the coupon's id).
func (s *Service) issue(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record, n int) error {
	out := make([]Coupon, 0, n)
	for k := range rec.Results {
		r := &rec.Results[k]
		for i := range r.Rewards {
			g := &r.Rewards[i]
			c := FromGrant(rec.TenantID, rec.OrganizationID, rec.ID, r.ProgramID, i, *g, rec.Event.OccurredAt)
			c.CreatedAt, c.UpdatedAt = h.Now, h.Now
			g.CouponID = c.ID
			out = append(out, c)
		}
	}
	s.Used.MarkUsed(rec.TenantID)
	return tx.InsertCoupons(ctx, out)
}

// FromGrant is the coupon the i-th grant of a program's outcome for an
// event issues, available from the event's time.
func FromGrant(tenantID, orgID, eventID, programID string, i int, g engine.Grant, at time.Time) Coupon {
	return Coupon{ID: ID(eventID, programID, i), TenantID: tenantID, ProgramID: programID, OrganizationID: orgID,
		OwnerType: g.To, OwnerID: g.ToID, Grant: g.Type, TemplateID: g.RewardID, Name: orDefault(g.Name, g.RewardID),
		Benefit: g.Coupon, Status: Available, Reason: g.Reason, SourceEvent: eventID, IssuedAt: at, ExpiresAt: g.ExpiresAt}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// useAll uses every coupon an invoice or order names, checking each again
// inside the transaction; a coupon that cannot be used refuses the event
// (409 coupon_unavailable) and nothing of it is written.
func (s *Service) useAll(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record) error {
	ev := &rec.Event
	if ev.Type != engine.Invoice && ev.Type != engine.Order {
		return unavailable(ev.Coupons[0], "coupons are used on orders and invoices only")
	}
	for _, id := range ev.Coupons {
		c, err := tx.GetCoupon(ctx, rec.TenantID, id)
		if errs.Is(err, errs.NotFound) {
			return unavailable(id, "unknown coupon")
		}
		if err != nil {
			return err
		}
		discount, why := priced(c, rec)
		if why != "" {
			return unavailable(id, why)
		}
		ok, err := tx.UseCoupon(ctx, rec.TenantID, id, Use{EventID: rec.ID, At: h.Now, Discount: discount})
		if err != nil {
			return err
		}
		if !ok {
			return unavailable(id, "already used")
		}
	}
	return nil
}

// priced checks a coupon against the order and prices its benefit on the
// order's lines on its own: what it takes off, or why it cannot be used.
func priced(c Coupon, rec *events.Record) (int64, string) {
	ev := &rec.Event
	if why := UsableAt(c, rec.OrganizationID, rec.MemberID, ev.OccurredAt); why != "" {
		return 0, why
	}
	if !slices.ContainsFunc(rec.Results, func(r events.ProgramResult) bool { return r.ProgramID == c.ProgramID && r.Status == engine.Applied }) {
		return 0, "its program did not take part in this order"
	}
	return Price(c, ev.Lines)
}

// Price is what coupon c takes off lines on its own, or why it takes
// nothing: the worth of its discount, as the order records it.
func Price(c Coupon, lines []engine.Line) (int64, string) {
	d, why := engine.CouponDiscount(c.Engine(), lines)
	if why != "" {
		return 0, why
	}
	pl := make([]pricing.Line, len(lines))
	for i, l := range lines {
		pl[i] = pricing.Line{Ref: l.SKU, SKU: l.SKU, Category: l.Category, Brand: l.Brand, Qty: l.Qty, UnitPrice: l.UnitPrice, OnSale: l.OnSale}
	}
	res, err := pricing.Price(pl, []pricing.Discount{d}, pricing.Additive, pricing.Context{}, 2)
	if err != nil {
		return 0, "gives nothing on this order"
	}
	if res.Discount == 0 {
		if len(res.Refused) > 0 {
			return 0, res.Refused[0].Reason
		}
		return 0, "gives nothing on this order"
	}
	return res.Discount, ""
}

// unavailable refuses an event for one of its coupons.
func unavailable(id, why string) error {
	e := errs.E(errs.Conflict, "coupon_unavailable", "coupon %s: %s", id, why)
	e.Fields = []errs.FieldError{{Field: "coupons", Code: "coupon_unavailable", Message: id + ": " + why}}
	return e
}

// restore gives back the coupons of an order that this return brings back
// in full, when their program's policy says so.
func (s *Service) restore(ctx context.Context, tx Tx, h *events.HookCtx, rec *events.Record) error {
	has, err := s.Used.Uses(rec.TenantID, func() (bool, error) { return tx.HasCoupons(ctx, rec.TenantID) })
	if err != nil || !has {
		return err
	}
	orig, err := tx.GetEventByExternal(ctx, rec.TenantID, rec.Event.Source, rec.Event.Original)
	if err != nil {
		return err
	}
	used, err := tx.CouponsUsedBy(ctx, rec.TenantID, orig.ID)
	if err != nil || len(used) == 0 || !fullyReturned(&orig, &rec.Event) {
		return err
	}
	for _, c := range used {
		if c.Benefit == nil || c.Benefit.OnReturn != engine.CouponRestore {
			continue
		}
		if _, err := tx.RestoreCoupon(ctx, rec.TenantID, c.ID, orig.ID, h.Now); err != nil {
			return err
		}
	}
	return nil
}

// fullyReturned reports whether every unit of the original has come back
// with this return, by the units its programs recorded as returned.
func fullyReturned(orig *events.Record, ret *engine.Event) bool {
	var back []int64
	for _, r := range orig.Results {
		if len(r.Returned) != len(orig.Event.Lines) {
			continue
		}
		if back == nil {
			back = make([]int64, len(r.Returned))
		}
		for i, n := range r.Returned {
			back[i] = max(back[i], n)
		}
	}
	return FullyReturned(orig.Event.Lines, back, ret.Lines)
}

// FullyReturned reports whether every unit of an order's lines has come
// back: by returned, the units recorded as returned per line, or — when
// nothing recorded them (nil) — by the lines of the return that came.
func FullyReturned(lines []engine.Line, returned []int64, ret []engine.Line) bool {
	back := make([]int64, len(lines))
	if returned != nil {
		copy(back, returned)
	} else {
		for _, l := range ret {
			for i, o := range lines {
				if o.SKU == l.SKU {
					back[i] += l.Qty
					break
				}
			}
		}
	}
	for i, l := range lines {
		if back[i] < l.Qty {
			return false
		}
	}
	return true
}
