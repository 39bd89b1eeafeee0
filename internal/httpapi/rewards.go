package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/reward"
)

type rewardCreate struct {
	Body struct {
		Kind            string              `json:"kind" enum:"merchandise,voucher,service,information,event_invitation,donation,partner_offer"`
		Subkind         string              `json:"subkind,omitempty" doc:"For service items: training_seat, consulting_hours, extended_warranty, payment_terms, priority_support"`
		Name            string              `json:"name" maxLength:"200"`
		Description     string              `json:"description,omitempty" maxLength:"5000"`
		PointTypeID     string              `json:"point_type_id" maxLength:"100" doc:"The points the item is priced in"`
		Price           int64               `json:"price" doc:"Points per unit"`
		TierPrices      map[string]int64    `json:"tier_prices,omitempty" doc:"Price per tier code of the organization (in the point type's program)"`
		RolePrices      map[string]int64    `json:"role_prices,omitempty" doc:"Price per role of the redeeming member"`
		Stock           *int64              `json:"stock,omitempty" doc:"Units left; absent: unlimited"`
		AvailableFrom   *time.Time          `json:"available_from,omitempty"`
		AvailableUntil  *time.Time          `json:"available_until,omitempty"`
		MemberLimit     *reward.ItemLimit   `json:"member_limit,omitempty" doc:"Units per member per period (month, quarter, year, ever)"`
		OrgLimit        *reward.ItemLimit   `json:"organization_limit,omitempty" doc:"Units per organization per period"`
		Audience        reward.ItemAudience `json:"audience,omitempty" doc:"Who may redeem; empty lists: everyone"`
		MoneyValue      int64               `json:"money_value,omitempty" doc:"The operator's cost of one unit, minor units"`
		NeedsManagement bool                `json:"needs_management_approval,omitempty" doc:"Employees' redemptions wait for their organization's management"`
	}
}

type rewardPatch struct {
	IDPath
	Body struct {
		Price          *int64     `json:"price,omitempty"`
		Stock          *int64     `json:"stock,omitempty" doc:"Set the units left"`
		UnlimitedStock bool       `json:"unlimited_stock,omitempty" doc:"Make the stock unlimited"`
		Status         *string    `json:"status,omitempty" enum:"active,archived"`
		AvailableFrom  *time.Time `json:"available_from,omitempty"`
		AvailableUntil *time.Time `json:"available_until,omitempty"`
		OpenWindow     bool       `json:"open_window,omitempty" doc:"Clear the availability window (before applying new bounds)"`
	}
}

type rewardListIn struct {
	PageQuery
	Status string `query:"status" enum:"active,archived"`
	Kind   string `query:"kind" maxLength:"40"`
}

type offersIn struct {
	IDPath
	Member string `query:"member" maxLength:"110" doc:"Price and audience for this member of the organization (id or ext:<external id>)"`
}

type offersBody struct {
	Items []reward.Offer `json:"items"`
}

type redeemIn struct {
	Body struct {
		ItemID       string `json:"item_id" maxLength:"100"`
		Organization string `json:"organization" maxLength:"110" doc:"Id or ext:<external id>"`
		Member       string `json:"member,omitempty" maxLength:"110" doc:"An employee redeeming their own member-wallet points"`
		Quantity     *int64 `json:"quantity,omitempty" doc:"Units, 1 to 1000 (default 1)"`
	}
}

type redemptionListIn struct {
	PageQuery
	Organization string `query:"organization" maxLength:"110"`
	Member       string `query:"member" maxLength:"110"`
	Status       string `query:"status" maxLength:"40"`
}

type decisionIn struct {
	IDPath
	Body struct {
		MemberID string `json:"member_id,omitempty" maxLength:"110" doc:"For the organization's management: an active owner of the organization"`
		Note     string `json:"note,omitempty" maxLength:"500"`
	}
}

type rejectIn struct {
	IDPath
	Body struct {
		MemberID string `json:"member_id,omitempty" maxLength:"110" doc:"For the organization's management, while the redemption awaits it"`
		Reason   string `json:"reason" maxLength:"500"`
	}
}

type noteIn struct {
	IDPath
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"500"`
	}
}

type settingsIn struct {
	Body struct {
		ApprovalThreshold       *int64 `json:"approval_threshold,omitempty" nullable:"true" doc:"Redemptions whose money value exceeds it wait for the operator (absent or null: never)"`
		EmployeeNeedsManagement bool   `json:"employee_redemptions_need_management,omitempty"`
	}
}

func (a *API) rewardRoutes() {
	const tag = "Rewards"
	handle(a, op("create-reward", http.MethodPost, "/v1/rewards", tag, "Add a catalog item", "Needs write scope."),
		func(ctx context.Context, p access.Principal, in *rewardCreate) (*bodyOut[reward.Item], error) {
			b := in.Body
			it, err := a.svc.Rewards.Create(ctx, p, reward.ItemInput{Kind: b.Kind, Subkind: b.Subkind, Name: b.Name, Description: b.Description,
				PointTypeID: b.PointTypeID, Price: b.Price, TierPrices: b.TierPrices, RolePrices: b.RolePrices, Stock: b.Stock,
				AvailableFrom: b.AvailableFrom, AvailableUntil: b.AvailableUntil, MemberLimit: b.MemberLimit, OrgLimit: b.OrgLimit,
				Audience: b.Audience, MoneyValue: b.MoneyValue, NeedsManagement: b.NeedsManagement})
			return out(it), err
		})
	handle(a, op("list-rewards", http.MethodGet, "/v1/rewards", tag, "List the catalog", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *rewardListIn) (*listOut[reward.Item], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Rewards.List(ctx, p, reward.ItemFilter{Status: in.Status, Kind: in.Kind}, r)
			return pageOut(pg, func(x reward.Item) reward.Item { return x }), err
		})
	handle(a, op("get-reward", http.MethodGet, "/v1/rewards/{id}", tag, "Get a catalog item", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[reward.Item], error) {
			it, err := a.svc.Rewards.Get(ctx, p, in.ID)
			return out(it), err
		})
	handle(a, op("update-reward", http.MethodPatch, "/v1/rewards/{id}", tag, "Change a catalog item's price, stock, status or window",
		"Needs write scope. Redemptions already requested keep their price."),
		func(ctx context.Context, p access.Principal, in *rewardPatch) (*bodyOut[reward.Item], error) {
			b := in.Body
			it, err := a.svc.Rewards.Update(ctx, p, in.ID, reward.Patch{Price: b.Price, Stock: b.Stock, UnlimitedStock: b.UnlimitedStock,
				Status: b.Status, AvailableFrom: b.AvailableFrom, AvailableUntil: b.AvailableUntil, OpenWindow: b.OpenWindow})
			return out(it), err
		})
	handle(a, op("list-organization-rewards", http.MethodGet, "/v1/organizations/{id}/rewards", tag, "What an organization may redeem now",
		"Needs read scope. Active items in their window whose audience includes the organization (and the member, if given), each with the price that applies: the lowest of the base, tier and role prices, and which one it is (price_basis)."),
		func(ctx context.Context, p access.Principal, in *offersIn) (*bodyOut[offersBody], error) {
			offers, err := a.svc.Rewards.Offers(ctx, p, in.ID, in.Member)
			return out(offersBody{Items: offers}), err
		})
	a.redemptionRoutes(tag)
	handle(a, op("get-reward-settings", http.MethodGet, "/v1/reward-settings", tag, "Redemption settings", "Needs read scope."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*bodyOut[reward.Settings], error) {
			s, err := a.svc.Rewards.GetSettings(ctx, p)
			return out(s), err
		})
	handle(a, op("put-reward-settings", http.MethodPut, "/v1/reward-settings", tag, "Change the redemption settings",
		"Needs admin scope. Redemptions already waiting keep their status."),
		func(ctx context.Context, p access.Principal, in *settingsIn) (*bodyOut[reward.Settings], error) {
			s, err := a.svc.Rewards.PutSettings(ctx, p, reward.Settings{ApprovalThreshold: in.Body.ApprovalThreshold,
				EmployeeNeedsManagement: in.Body.EmployeeNeedsManagement})
			return out(s), err
		})
}

func (a *API) redemptionRoutes(tag string) {
	handle(a, op("redeem", http.MethodPost, "/v1/redemptions", tag, "Redeem points for a catalog item",
		"Needs write scope. Reserves the points (from the member's wallet for an employee, else the organization's) and the stock at once; the redemption then waits for the approvals it needs. Refusals reserve nothing: 409 out_of_stock, insufficient_points, limit_reached, not_available; 403 not_in_audience."),
		func(ctx context.Context, p access.Principal, in *redeemIn) (*bodyOut[reward.Redemption], error) {
			b := in.Body
			qty := int64(1) // left out: one; an explicit 0 is refused
			if b.Quantity != nil {
				qty = *b.Quantity
			}
			r, err := a.svc.Rewards.Redeem(ctx, p, reward.RedeemInput{ItemID: b.ItemID, Organization: b.Organization, Member: b.Member, Quantity: qty})
			return out(r), err
		})
	handle(a, op("list-redemptions", http.MethodGet, "/v1/redemptions", tag, "List redemptions", "Needs read scope. Oldest first."),
		func(ctx context.Context, p access.Principal, in *redemptionListIn) (*listOut[reward.Redemption], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Rewards.ListRedemptions(ctx, p, reward.RedemptionFilter{OrganizationID: in.Organization, MemberID: in.Member, Status: in.Status}, r)
			return pageOut(pg, func(x reward.Redemption) reward.Redemption { return x }), err
		})
	handle(a, op("get-redemption", http.MethodGet, "/v1/redemptions/{id}", tag, "Get a redemption with its steps", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[reward.Redemption], error) {
			r, err := a.svc.Rewards.GetRedemption(ctx, p, in.ID)
			return out(r), err
		})
	handle(a, action(op("approve-redemption", http.MethodPost, "/v1/redemptions/{id}/approve", tag, "Approve a redemption",
		"Needs write scope. Awaiting management: member_id must be an active owner of the redeeming organization (else 403). Awaiting the operator: a key acting for a staff user, or an admin key.")),
		func(ctx context.Context, p access.Principal, in *decisionIn) (*bodyOut[reward.Redemption], error) {
			r, err := a.svc.Rewards.Approve(ctx, p, in.ID, reward.Decision{MemberID: in.Body.MemberID, Note: in.Body.Note})
			return out(r), err
		})
	handle(a, action(op("reject-redemption", http.MethodPost, "/v1/redemptions/{id}/reject", tag, "Reject a redemption and return its points",
		"Needs write scope and a reason; by the operator (staff or admin key), or by the organization's management (member_id) while it awaits management.")),
		func(ctx context.Context, p access.Principal, in *rejectIn) (*bodyOut[reward.Redemption], error) {
			r, err := a.svc.Rewards.Reject(ctx, p, in.ID, reward.Decision{MemberID: in.Body.MemberID, Note: in.Body.Reason})
			return out(r), err
		})
	handle(a, action(op("cancel-redemption", http.MethodPost, "/v1/redemptions/{id}/cancel", tag, "Cancel a redemption and return its points",
		"Needs write scope; any time before it is fulfilled.")),
		func(ctx context.Context, p access.Principal, in *noteIn) (*bodyOut[reward.Redemption], error) {
			r, err := a.svc.Rewards.Cancel(ctx, p, in.ID, in.reason())
			return out(r), err
		})
	handle(a, action(op("fulfill-redemption", http.MethodPost, "/v1/redemptions/{id}/fulfill", tag, "Record that an approved redemption was delivered",
		"Needs write scope. A voucher gets its code now (voucher_code).")),
		func(ctx context.Context, p access.Principal, in *noteIn) (*bodyOut[reward.Redemption], error) {
			r, err := a.svc.Rewards.Fulfill(ctx, p, in.ID, in.reason())
			return out(r), err
		})
}

func (in *noteIn) reason() string {
	if in.Body == nil {
		return ""
	}
	return in.Body.Reason
}
