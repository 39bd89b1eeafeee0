package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

type msgCampaignCreate struct {
	Body struct {
		Name      string   `json:"name" maxLength:"200"`
		Template  string   `json:"template" maxLength:"60" doc:"The template code"`
		SegmentID string   `json:"segment_id,omitempty" maxLength:"110" doc:"Only the members of this segment's organizations; empty: all organizations"`
		Roles     []string `json:"roles,omitempty" maxItems:"10" doc:"Only members with one of these roles; empty: any role"`
	}
}

type msgCampaignVerb struct {
	Target string `path:"id" maxLength:"120" doc:"<campaign id>:send or <campaign id>:audience"`
	Body   *struct {
		At *time.Time `json:"at,omitempty" doc:"send: when to send (RFC 3339); absent or past: now"`
	}
}

type audienceOut struct {
	Audience int `json:"audience" doc:"The people the campaign would reach now"`
}

func (a *API) messageCampaignRoutes() {
	const tag = "Messages"
	svc := a.svc.Notify
	handle(a, op("create-message-campaign", http.MethodPost, "/v1/message-campaigns", tag, "Create a campaign",
		"Needs the messages.manage right. A draft: count its audience with :audience, send it with :send."),
		func(ctx context.Context, p access.Principal, in *msgCampaignCreate) (*bodyOut[notify.Campaign], error) {
			b := in.Body
			c, err := svc.CreateCampaign(ctx, p, notify.Campaign{Name: b.Name, Template: b.Template, SegmentID: b.SegmentID, Roles: b.Roles})
			return out(c), err
		})
	handle(a, op("list-message-campaigns", http.MethodGet, "/v1/message-campaigns", tag, "List campaigns", "Needs read scope. Newest first."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[notify.Campaign], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.Campaigns(ctx, p, r)
			return pageOut(pg, func(c notify.Campaign) notify.Campaign { return c }), err
		})
	handle(a, op("get-message-campaign", http.MethodGet, "/v1/message-campaigns/{id}", tag, "Get a campaign", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[notify.Campaign], error) {
			c, err := svc.Campaign(ctx, p, in.ID)
			return out(c), err
		})
	handle(a, action(op("message-campaign-action", http.MethodPost, "/v1/message-campaigns/{id}", tag, "Count a campaign's audience, or send it",
		"POST /v1/message-campaigns/{id}:audience counts the people it would reach now (read scope). POST /v1/message-campaigns/{id}:send sends it now, or at `at` (messages.manage); a campaign is sent once.")),
		func(ctx context.Context, p access.Principal, in *msgCampaignVerb) (*bodyOut[any], error) {
			if id, ok := strings.CutSuffix(in.Target, ":audience"); ok {
				n, err := svc.AudienceCount(ctx, p, id)
				return out[any](audienceOut{n}), err
			}
			id, ok := strings.CutSuffix(in.Target, ":send")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/message-campaigns/{id}:audience or {id}:send")
			}
			var at *time.Time
			if in.Body != nil {
				at = in.Body.At
			}
			c, err := svc.SendCampaign(ctx, p, id, at)
			return out[any](c), err
		})
}
