package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/goal"
)

// GoalJSON is a goal with its progress.
type GoalJSON struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	OrganizationID string     `json:"organization_id"`
	MemberID       string     `json:"member_id,omitempty" doc:"Set for a goal of one member"`
	Metric         string     `json:"metric" enum:"amount,quantity,orders,share,trainings,claims"`
	SKUs           []string   `json:"skus"`
	Categories     []string   `json:"categories"`
	Target         int64      `json:"target" doc:"Minor units (amount), units (quantity), events (orders, trainings, claims) or basis points (share)"`
	StartsAt       time.Time  `json:"starts_at"`
	EndsAt         time.Time  `json:"ends_at" doc:"Exclusive"`
	Reward         GoalReward `json:"reward"`
	Status         string     `json:"status" enum:"active,achieved,expired,upcoming,cancelled"`
	Progress       int64      `json:"progress" doc:"The measure compared with the target (share: basis points)"`
	Percent        int64      `json:"percent" doc:"Progress as a whole percentage of the target, 0–100"`
	PurchaseAmount *int64     `json:"purchase_amount,omitempty" doc:"Share goals: the operator's net purchase amount in the period"`
	PartnerTotal   *int64     `json:"partner_total,omitempty" doc:"Share goals: the partner's latest reported total purchases"`
	AchievedAt     *time.Time `json:"achieved_at,omitempty"`
	AchievedEvent  string     `json:"achieved_event_id,omitempty" doc:"The event that reached the target"`
	RewardTx       string     `json:"reward_transaction_id,omitempty" doc:"The ledger transaction of the reward points"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// GoalReward is what achieving a goal grants.
type GoalReward struct {
	Points      int64  `json:"points"`
	PointTypeID string `json:"point_type_id,omitempty"`
	Text        string `json:"text,omitempty"`
}

func goalJSON(now time.Time) func(g goal.Goal) GoalJSON {
	return func(g goal.Goal) GoalJSON {
		j := GoalJSON{ID: g.ID, Name: g.Name, OrganizationID: g.OrganizationID, MemberID: g.MemberID, Metric: g.Metric,
			SKUs: nonNil(g.SKUs), Categories: nonNil(g.Categories), Target: g.Target, StartsAt: g.StartsAt, EndsAt: g.EndsAt,
			Reward: GoalReward{Points: g.Reward.Points, PointTypeID: g.Reward.PointTypeID, Text: g.Reward.Text},
			Status: g.StatusAt(now), Progress: g.Value(), Percent: g.Percent(), AchievedAt: g.AchievedAt, AchievedEvent: g.AchievedEvent,
			RewardTx: g.RewardTx, CreatedAt: g.CreatedAt, UpdatedAt: g.UpdatedAt}
		if g.Metric == goal.Share {
			j.PurchaseAmount, j.PartnerTotal = &g.Progress, &g.PartnerTotal
		}
		return j
	}
}

type goalCreate struct {
	Body struct {
		Name         string    `json:"name,omitempty" maxLength:"200" doc:"Required"`
		Organization string    `json:"organization,omitempty" maxLength:"110" doc:"Organization id or ext:<external id>; may be left out when member is given"`
		Member       string    `json:"member,omitempty" maxLength:"110" doc:"Member id or ext:<external id>, for a goal of one member"`
		Metric       string    `json:"metric,omitempty" maxLength:"20" doc:"Required: amount, quantity, orders, share, trainings or claims"`
		SKUs         []string  `json:"skus,omitempty" doc:"Lines counted (amount, quantity, orders, share); empty: all"`
		Categories   []string  `json:"categories,omitempty" doc:"Lines counted, by category; empty: all"`
		Target       int64     `json:"target,omitempty" doc:"Required, positive: minor units (amount), units (quantity), events (orders, trainings, claims) or basis points (share, at most 10000)"`
		StartsAt     time.Time `json:"starts_at,omitempty" doc:"Required"`
		EndsAt       time.Time `json:"ends_at,omitempty" doc:"Required; exclusive, after starts_at"`
		RewardPoints int64     `json:"reward_points,omitempty" doc:"Points credited to the organization's (or member's) wallet on achievement"`
		PointTypeID  string    `json:"point_type_id,omitempty" maxLength:"110"`
		RewardText   string    `json:"reward_text,omitempty" maxLength:"1000" doc:"A non-point reward, recorded on achievement"`
	}
}

type goalListQuery struct {
	PageQuery
	Organization string `query:"organization" maxLength:"110" doc:"Organization id or ext:<external id>"`
	Member       string `query:"member" maxLength:"110" doc:"Member id or ext:<external id>"`
	Status       string `query:"status" maxLength:"20" doc:"active, achieved, expired, upcoming or cancelled"`
}

func (a *API) goalRoutes() {
	const tag = "Goals"
	handle(a, op("create-goal", http.MethodPost, "/v1/goals", tag, "Create a goal",
		"Needs write scope. A target for an organization or one member over [starts_at, ends_at); every event in the period counts towards it, and the reward is granted once when it is reached."),
		func(ctx context.Context, p access.Principal, in *goalCreate) (*bodyOut[GoalJSON], error) {
			b := in.Body
			g, err := a.svc.Goals.Create(ctx, p, goal.Input{Name: b.Name, Organization: b.Organization, Member: b.Member, Metric: b.Metric,
				SKUs: b.SKUs, Categories: b.Categories, Target: b.Target, StartsAt: b.StartsAt, EndsAt: b.EndsAt,
				Reward: goal.Reward{PointTypeID: b.PointTypeID, Points: b.RewardPoints, Text: b.RewardText}})
			return out(goalJSON(a.svc.Goals.Clock.Now())(g)), err
		})
	handle(a, op("list-goals", http.MethodGet, "/v1/goals", tag, "List goals with their progress", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *goalListQuery) (*listOut[GoalJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Goals.List(ctx, p, goal.ListInput{Organization: in.Organization, Member: in.Member, Status: in.Status}, r)
			return pageOut(pg, goalJSON(a.svc.Goals.Clock.Now())), err
		})
	handle(a, op("get-goal", http.MethodGet, "/v1/goals/{id}", tag, "Get a goal with its progress", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[GoalJSON], error) {
			g, err := a.svc.Goals.Get(ctx, p, in.ID)
			return out(goalJSON(a.svc.Goals.Clock.Now())(g)), err
		})
	handle(a, action(op("cancel-goal", http.MethodPost, "/v1/goals/{id}/cancel", tag, "Cancel a goal",
		"Needs write scope. Only an active goal (not achieved, not cancelled) can be cancelled; events stop counting towards it.")),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[GoalJSON], error) {
			g, err := a.svc.Goals.Cancel(ctx, p, in.ID)
			return out(goalJSON(a.svc.Goals.Clock.Now())(g)), err
		})
}
