package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/membership"
)

// PlanJSON is a paid membership plan.
type PlanJSON struct {
	ID               string    `json:"id"`
	Code             string    `json:"code" doc:"Rules test it: \"pro\" in org.plans"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Fee              int64     `json:"fee" doc:"Price of one period, minor units"`
	Currency         string    `json:"currency"`
	PeriodMonths     int64     `json:"period_months"`
	DiscountBP       int64     `json:"discount_bp" doc:"Discount on every quote while active; 5000 = 50%"`
	EarnMultiplierBP int64     `json:"earn_multiplier_bp" doc:"Points multiplier while active; 20000 = ×2; 0 = none"`
	Perks            []string  `json:"perks"`
	Status           string    `json:"status" enum:"active,archived"`
	BreakEven        int64     `json:"break_even_spend" doc:"Full-price spend in one period at which the discount has saved the fee (minor units, rounded up); 0 without a discount"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func planJSON(p membership.Plan) PlanJSON {
	return PlanJSON{ID: p.ID, Code: p.Code, Name: p.Name, Description: p.Description, Fee: p.Fee, Currency: p.Currency,
		PeriodMonths: p.PeriodMonths, DiscountBP: p.DiscountBP, EarnMultiplierBP: p.EarnMultiplierBP, Perks: nonNil(p.Perks),
		Status: p.Status, BreakEven: p.BreakEven(), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// MembershipJSON is an organization's membership of one plan.
type MembershipJSON struct {
	Plan        PlanJSON            `json:"plan"`
	Active      bool                `json:"active"`
	ActiveUntil *time.Time          `json:"active_until,omitempty" doc:"End of the paid time running without a gap from now"`
	Periods     []membership.Period `json:"periods" doc:"Paid periods, oldest first"`
}

func membershipJSON(s membership.Status) MembershipJSON {
	return MembershipJSON{Plan: planJSON(s.Plan), Active: s.Active, ActiveUntil: s.ActiveUntil, Periods: nonNil(s.Periods)}
}

type planList struct {
	Items []PlanJSON `json:"items" doc:"By code"`
}

type membershipList struct {
	Items []MembershipJSON `json:"items"`
}

type planCreate struct {
	Body struct {
		Code             string   `json:"code" minLength:"1" maxLength:"40"`
		Name             string   `json:"name" minLength:"1" maxLength:"200"`
		Description      string   `json:"description,omitempty" maxLength:"5000"`
		Fee              int64    `json:"fee" doc:"Minor units: 22000 is 220.00"`
		Currency         string   `json:"currency" minLength:"3" maxLength:"3"`
		PeriodMonths     int64    `json:"period_months" doc:"1–60"`
		DiscountBP       int64    `json:"discount_bp,omitempty"`
		EarnMultiplierBP int64    `json:"earn_multiplier_bp,omitempty"`
		Perks            []string `json:"perks,omitempty" doc:"free_delivery, priority_support, exclusive_items, extended_payment_terms"`
	}
}

type planStatus struct {
	IDPath
	Body struct {
		Status string `json:"status" enum:"active,archived"`
	}
}

type membershipBuy struct {
	IDPath
	Body struct {
		Plan       string `json:"plan" minLength:"1" maxLength:"40" doc:"The plan's code"`
		Fee        *int64 `json:"fee,omitempty" doc:"Amount paid, when not the plan's fee"`
		ExternalID string `json:"external_id,omitempty" maxLength:"200" doc:"The sale's id in your systems; the event's external id is sale:<this id>"`
	}
}

func (a *API) membershipRoutes() {
	const tag = "Memberships"
	handle(a, op("create-membership-plan", http.MethodPost, "/v1/membership-plans", tag, "Create a paid membership plan",
		"Needs write scope. The plan is on sale at once; its break-even spend is computed."),
		func(ctx context.Context, p access.Principal, in *planCreate) (*bodyOut[PlanJSON], error) {
			b := in.Body
			pl, err := a.svc.Memberships.CreatePlan(ctx, p, membership.PlanInput{Code: b.Code, Name: b.Name, Description: b.Description,
				Fee: b.Fee, Currency: b.Currency, PeriodMonths: b.PeriodMonths, DiscountBP: b.DiscountBP, EarnMultiplierBP: b.EarnMultiplierBP, Perks: b.Perks})
			return out(planJSON(pl)), err
		})
	handle(a, op("list-membership-plans", http.MethodGet, "/v1/membership-plans", tag, "List membership plans", "Needs read scope."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*bodyOut[planList], error) {
			pls, err := a.svc.Memberships.ListPlans(ctx, p)
			l := planList{Items: []PlanJSON{}}
			for _, pl := range pls {
				l.Items = append(l.Items, planJSON(pl))
			}
			return out(l), err
		})
	handle(a, op("get-membership-plan", http.MethodGet, "/v1/membership-plans/{id}", tag, "Get a membership plan", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[PlanJSON], error) {
			pl, err := a.svc.Memberships.GetPlan(ctx, p, in.ID)
			return out(planJSON(pl)), err
		})
	handle(a, action(op("set-membership-plan-status", http.MethodPost, "/v1/membership-plans/{id}/status", tag, "Put a plan on sale or withdraw it",
		"Needs write scope. An archived plan is no longer sold or renewed; paid periods run to their end.")),
		func(ctx context.Context, p access.Principal, in *planStatus) (*bodyOut[PlanJSON], error) {
			pl, err := a.svc.Memberships.SetPlanStatus(ctx, p, in.ID, in.Body.Status)
			return out(planJSON(pl)), err
		})
	handle(a, op("buy-membership", http.MethodPost, "/v1/organizations/{id}/memberships", tag, "Sell or renew a membership",
		"Needs write scope. Records a membership event (programs see it; it appears in the organization's history) and a paid period from now, or from the end of the period still running. Benefits apply while a period covers the time."),
		func(ctx context.Context, p access.Principal, in *membershipBuy) (*bodyOut[MembershipJSON], error) {
			st, err := a.svc.Memberships.Buy(ctx, p, membership.BuyInput{Organization: in.ID, Plan: in.Body.Plan, Fee: in.Body.Fee, ExternalID: in.Body.ExternalID})
			return out(membershipJSON(st)), err
		})
	handle(a, op("list-memberships", http.MethodGet, "/v1/organizations/{id}/memberships", tag, "An organization's memberships",
		"Needs read scope. One entry per plan it ever bought, with whether it is active now and its paid periods."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[membershipList], error) {
			sts, err := a.svc.Memberships.Of(ctx, p, in.ID)
			l := membershipList{Items: []MembershipJSON{}}
			for _, st := range sts {
				l.Items = append(l.Items, membershipJSON(st))
			}
			return out(l), err
		})
}
