package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/partner"
)

type partnerCreate struct {
	Body struct {
		Name        string `json:"name" minLength:"1" maxLength:"200"`
		ProgramID   string `json:"program_id" doc:"The program whose points the partner issues and accepts"`
		PointTypeID string `json:"point_type_id" doc:"The program's point type the partner issues and accepts"`
		IssuePrice  int64  `json:"issue_price" doc:"Minor currency units the partner pays the operator per 100 points it issues"`
		RedeemPrice int64  `json:"redeem_price" doc:"Minor currency units the operator pays the partner per 100 points redeemed at it"`
		Currency    string `json:"currency,omitempty" doc:"ISO 4217 code of the prices; default: the point type's currency"`
	}
}

type partnerKeyCreate struct {
	IDPath
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"100"`
	}
}

type optInCreate struct {
	IDPath
	Body struct {
		Member string `json:"member" doc:"The member's id or ext:<external id>"`
	}
}

type optInPath struct {
	IDPath
	Member string `path:"member" maxLength:"110" doc:"The member's id or ext:<external id>"`
}

type redemptionCreate struct {
	IDPath
	Body struct {
		Member    string `json:"member" doc:"The member paying with points: id or ext:<external id>"`
		Points    int64  `json:"points"`
		Reference string `json:"reference" doc:"The partner's id of the payment (receipt number); the same reference again returns the first redemption"`
	}
}

type redemptionOut struct {
	Status int
	Body   partner.Redemption
}

type settlementIn struct {
	IDPath
	From string `query:"from" doc:"First day, YYYY-MM-DD (UTC)"`
	To   string `query:"to" doc:"Last day included, YYYY-MM-DD (UTC)"`
}

func (a *API) partnerRoutes() {
	const tag = "Partners"
	svc := func() *partner.Service { return a.svc.Partners }
	handle(a, op("create-partner", http.MethodPost, "/v1/partners", tag, "Add a coalition partner",
		"Needs write scope. Prices are integer minor currency units per 100 points."),
		func(ctx context.Context, p access.Principal, in *partnerCreate) (*bodyOut[partner.Partner], error) {
			b := in.Body
			pt, err := svc().Create(ctx, p, partner.Input{Name: b.Name, ProgramID: b.ProgramID, PointTypeID: b.PointTypeID,
				IssuePrice: b.IssuePrice, RedeemPrice: b.RedeemPrice, Currency: b.Currency})
			return out(pt), err
		})
	handle(a, op("list-partners", http.MethodGet, "/v1/partners", tag, "List partners", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[partner.Partner], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc().List(ctx, p, r)
			return pageOut(pg, func(pt partner.Partner) partner.Partner { return pt }), err
		})
	handle(a, op("get-partner", http.MethodGet, "/v1/partners/{id}", tag, "Get a partner", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[partner.Partner], error) {
			pt, err := svc().Get(ctx, p, in.ID)
			return out(pt), err
		})
	handle(a, op("create-partner-api-key", http.MethodPost, "/v1/partners/{id}/api-keys", tag, "Create an API key for a partner",
		"Needs admin scope. The key may only send events for the partner's opted-in members, redeem points at the partner and read its settlement. "+
			"The response carries the secret once; revoke the key with POST /v1/api-keys/{id}/revoke."),
		func(ctx context.Context, p access.Principal, in *partnerKeyCreate) (*bodyOut[NewAPIKeyJSON], error) {
			k, secret, err := svc().CreateKey(ctx, p, in.ID, in.Body.Name)
			return out(NewAPIKeyJSON{APIKeyJSON: keyJSON(k), Key: secret}), err
		})
	a.partnerMemberRoutes(tag, svc)
}

func (a *API) partnerMemberRoutes(tag string, svc func() *partner.Service) {
	handle(a, action(op("opt-in-partner", http.MethodPost, "/v1/partners/{id}/optins", tag, "Opt a member in to a partner",
		"Needs write scope. Opting in while opted in changes nothing. Audited.")),
		func(ctx context.Context, p access.Principal, in *optInCreate) (*bodyOut[partner.OptIn], error) {
			o, err := svc().OptIn(ctx, p, in.ID, in.Body.Member)
			return out(o), err
		})
	revoke := op("revoke-partner-opt-in", http.MethodDelete, "/v1/partners/{id}/optins/{member}", tag, "Withdraw a member's opt-in",
		"Needs write scope. The partner's later events for the member are refused. Audited.")
	revoke.DefaultStatus = http.StatusOK
	handle(a, revoke, func(ctx context.Context, p access.Principal, in *optInPath) (*bodyOut[partner.OptIn], error) {
		o, err := svc().Revoke(ctx, p, in.ID, in.Member)
		return out(o), err
	})
	handle(a, domainIdem(op("redeem-at-partner", http.MethodPost, "/v1/partners/{id}/redemptions", tag, "Pay with points at a partner",
		"Needs write scope, or the partner's own key. Takes the points from the opted-in member's wallet; 409 when it holds too few (nothing is written). "+
			"Idempotent by reference: a repeat answers 200 with the first redemption, the same reference with other content is 409.")),
		func(ctx context.Context, p access.Principal, in *redemptionCreate) (*redemptionOut, error) {
			r, made, err := svc().Redeem(ctx, p, in.ID, partner.RedeemInput{Member: in.Body.Member, Points: in.Body.Points, Reference: in.Body.Reference})
			status := http.StatusCreated
			if !made {
				status = http.StatusOK
			}
			return &redemptionOut{Status: status, Body: r}, err
		})
	handle(a, op("get-partner-settlement", http.MethodGet, "/v1/partners/{id}/settlement", tag, "A partner's settlement report",
		"Needs read scope, or the partner's own key. Per calendar month (UTC) of from..to: points issued through the partner's events, "+
			"points redeemed at it, what the partner owes (issued × issue_price / 100) and what the operator owes (redeemed × redeem_price / 100), "+
			"each rounded half up per month; net = partner_owes − operator_owes; totals are the sums of the months."),
		func(ctx context.Context, p access.Principal, in *settlementIn) (*bodyOut[partner.Settlement], error) {
			st, err := svc().Settlement(ctx, p, in.ID, in.From, in.To)
			return out(st), err
		})
}

// partnerAllowed is the allowlist of a partner's API key: sending events,
// and redeeming at and reading the settlement of its own partner.
// Everything else is refused before any handler runs.
func partnerAllowed(method, path, partnerID string) bool {
	switch method + " " + path {
	case "POST /v1/events", "POST /v1/events:batch",
		"POST /v1/partners/" + partnerID + "/redemptions",
		"GET /v1/partners/" + partnerID + "/settlement":
		return !strings.Contains(partnerID, "/") && partnerID != ""
	}
	return false
}
