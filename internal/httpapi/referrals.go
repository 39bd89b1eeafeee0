package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/referral"
)

// ReferralCodeJSON is a referral code and the link that carries it.
type ReferralCodeJSON struct {
	Code string `json:"code"`
	Link string `json:"link" doc:"Path of the referral link: /r/<code>"`
}

type referralCreate struct {
	Body struct {
		Code         string `json:"code" maxLength:"64" doc:"The code the new organization registered with"`
		Organization string `json:"organization" maxLength:"110" doc:"The new organization (id or ext:<external id>)"`
	}
}

type orgReferralsIn struct {
	IDPath
	PageQuery
}

type referralSettingsPut struct {
	IDPath
	Body struct {
		ReferrerPoints   int64 `json:"referrer_points" doc:"Points for the code's owner"`
		ReferredPoints   int64 `json:"referred_points" doc:"Points for the new organization"`
		MinFirstPurchase int64 `json:"min_first_purchase" doc:"Net amount of the lines (minor units of the program's currency) a first purchase must reach"`
	}
}

func (a *API) referralRoutes() {
	const tag = "Referrals"
	for _, owner := range []struct{ typ, path, noun string }{
		{referral.OwnerOrganization, "/v1/organizations/{id}/referral-code", "organization"},
		{referral.OwnerMember, "/v1/members/{id}/referral-code", "member"},
	} {
		handle(a, op("get-"+owner.noun+"-referral-code", http.MethodGet, owner.path, tag, "The "+owner.noun+"'s referral code",
			"Needs read scope. Drawn at random on the first request, unique in the tenant."),
			func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[ReferralCodeJSON], error) {
				c, err := a.svc.Referrals.CodeOf(ctx, p, owner.typ, in.ID)
				return out(ReferralCodeJSON{Code: c.Code, Link: c.Link()}), err
			})
	}
	handle(a, op("register-referral", http.MethodPost, "/v1/referrals", tag, "Record a referral",
		"Needs write scope. A new organization registered with a code; the referral is pending until its first qualifying purchase. "+
			"Refused: unknown code, self-referral, loops, an organization already referred or that already bought."),
		func(ctx context.Context, p access.Principal, in *referralCreate) (*bodyOut[referral.Referral], error) {
			r, err := a.svc.Referrals.Register(ctx, p, in.Body.Code, in.Body.Organization)
			return out(r), err
		})
	handle(a, op("list-organization-referrals", http.MethodGet, "/v1/organizations/{id}/referrals", tag, "The referrals an organization made",
		"Needs read scope. Through its own code or its members' codes, each pending or qualified."),
		func(ctx context.Context, p access.Principal, in *orgReferralsIn) (*listOut[referral.Referral], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Referrals.ListBy(ctx, p, in.ID, r)
			return pageOut(pg, func(r referral.Referral) referral.Referral { return r }), err
		})
	handle(a, op("get-referral-settings", http.MethodGet, "/v1/programs/{id}/referral-settings", tag, "A program's referral rewards",
		"Needs read scope. Never set: zeros (no rewards)."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[referral.Rewards], error) {
			s, err := a.svc.Referrals.GetSettings(ctx, p, in.ID)
			return out(s), err
		})
	handle(a, op("put-referral-settings", http.MethodPut, "/v1/programs/{id}/referral-settings", tag, "Set a program's referral rewards",
		"Needs write scope."),
		func(ctx context.Context, p access.Principal, in *referralSettingsPut) (*bodyOut[referral.Rewards], error) {
			s, err := a.svc.Referrals.PutSettings(ctx, p, referral.Rewards{ProgramID: in.ID, ReferrerPoints: in.Body.ReferrerPoints,
				ReferredPoints: in.Body.ReferredPoints, MinFirstBuy: in.Body.MinFirstPurchase})
			return out(s), err
		})
}
