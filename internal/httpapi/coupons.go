package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/coupon"
)

type couponListQuery struct {
	IDPath
	PageQuery
	Member string `query:"member" maxLength:"110" doc:"Member id or ext:<external id>: only that member's coupons"`
	Status string `query:"status" maxLength:"20" doc:"available, used or expired"`
}

type couponUse struct {
	IDPath
	Body struct {
		Note string `json:"note" maxLength:"500" doc:"What was handed over or given, for the audit log"`
	}
}

func (a *API) couponRoutes() {
	const tag = "Coupons"
	handle(a, op("list-organization-coupons", http.MethodGet, "/v1/organizations/{id}/coupons", tag, "An organization's coupons",
		"Needs read scope. The coupons its programs granted it and its members (a stamp card's free item, a rule's coupon), newest first, "+
			"with their benefit at checkout, validity and use."),
		func(ctx context.Context, p access.Principal, in *couponListQuery) (*listOut[coupon.Coupon], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Coupons.List(ctx, p, coupon.ListInput{Organization: in.ID, Member: in.Member, Status: in.Status}, r)
			return pageOut(pg, func(c coupon.Coupon) coupon.Coupon { return c }), err
		})
	handle(a, op("get-coupon", http.MethodGet, "/v1/coupons/{id}", tag, "Get a coupon", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[coupon.Coupon], error) {
			c, err := a.svc.Coupons.Get(ctx, p, in.ID)
			return out(c), err
		})
	handle(a, action(op("use-coupon", http.MethodPost, "/v1/coupons/{id}/use", tag, "Use a coupon by hand",
		"Needs write scope. For coupons without a benefit at checkout (a gift, a service): staff mark them used, with a note in the audit log. "+
			"A coupon with a benefit is used by naming it in an order's coupons.")),
		func(ctx context.Context, p access.Principal, in *couponUse) (*bodyOut[coupon.Coupon], error) {
			c, err := a.svc.Coupons.UseByHand(ctx, p, in.ID, in.Body.Note)
			return out(c), err
		})
}
