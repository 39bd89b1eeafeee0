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

type webhookCreate struct {
	Body struct {
		URL         string   `json:"url" maxLength:"2000" doc:"Where to POST events: a public http(s) address"`
		Types       []string `json:"types" maxItems:"20" doc:"Event types to send (event.processed, points.earned, tier.changed, …; * for all)"`
		Description string   `json:"description,omitempty" maxLength:"500"`
		BatchSize   int      `json:"batch_size,omitempty" minimum:"1" maximum:"100" doc:"Events per request (default 1); more sends up to that many due together as {\"events\": [...]}"`
	}
}

type webhookPatch struct {
	IDPath
	Body notify.WebhookInput
}

// webhookSecret is a webhook with its signing secret, shown only when
// the webhook is created or its secret rotated.
type webhookSecret struct {
	notify.Webhook
	Secret string `json:"secret" doc:"The signing secret; shown this once: keep it to verify the Loyal-Signature header"`
}

type webhookVerb struct {
	Target string `path:"id" maxLength:"120" doc:"<webhook id>:rotate-secret or <webhook id>:test"`
	Body   *struct {
		OverlapSeconds int `json:"overlap_seconds,omitempty" minimum:"0" maximum:"604800" doc:"rotate-secret: how long the previous secret keeps signing too (0: a day)"`
	}
}

type webhookAttempts struct {
	IDPath
	PageQuery
}

type messageVerb struct {
	Target string `path:"target" maxLength:"120" doc:"<message id>:replay"`
}

func (a *API) webhookRoutes() {
	const tag = "Webhooks"
	svc := a.svc.Notify
	handle(a, op("create-webhook", http.MethodPost, "/v1/webhooks", tag, "Subscribe to events",
		"Needs the webhooks.manage right (admin, integrator). Events are POSTed as JSON, signed with HMAC-SHA256 (docs/MESSAGING.md); the secret is in this answer only."),
		func(ctx context.Context, p access.Principal, in *webhookCreate) (*bodyOut[webhookSecret], error) {
			b := in.Body
			w, secret, err := svc.CreateWebhook(ctx, p, notify.WebhookInput{URL: &b.URL, Types: &b.Types, Description: &b.Description,
				BatchSize: nonZero(b.BatchSize)})
			return out(webhookSecret{w, secret}), err
		})
	handle(a, op("list-webhooks", http.MethodGet, "/v1/webhooks", tag, "List webhooks", "Needs the webhooks.manage right."),
		func(ctx context.Context, p access.Principal, _ *struct{}) (*listOut[notify.Webhook], error) {
			ws, err := svc.Webhooks(ctx, p)
			return &listOut[notify.Webhook]{Body: listBody[notify.Webhook]{Items: ws}}, err
		})
	handle(a, op("get-webhook", http.MethodGet, "/v1/webhooks/{id}", tag, "Get a webhook", "Needs the webhooks.manage right."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[notify.Webhook], error) {
			w, err := svc.Webhook(ctx, p, in.ID)
			return out(w), err
		})
	handle(a, op("update-webhook", http.MethodPatch, "/v1/webhooks/{id}", tag, "Change a webhook",
		"Needs the webhooks.manage right. A disabled webhook gets nothing; its queued deliveries are dropped."),
		func(ctx context.Context, p access.Principal, in *webhookPatch) (*bodyOut[notify.Webhook], error) {
			w, err := svc.UpdateWebhook(ctx, p, in.ID, in.Body)
			return out(w), err
		})
	handle(a, op("delete-webhook", http.MethodDelete, "/v1/webhooks/{id}", tag, "Delete a webhook", "Needs the webhooks.manage right."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*struct{}, error) {
			return nil, svc.DeleteWebhook(ctx, p, in.ID)
		})
	handle(a, op("webhook-attempts", http.MethodGet, "/v1/webhooks/{id}/attempts", tag, "A webhook's delivery log",
		"Needs the webhooks.manage right. Every attempt, newest first, with the receiver's status code (0: no answer) and how long it took."),
		func(ctx context.Context, p access.Principal, in *webhookAttempts) (*listOut[notify.Attempt], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.Attempts(ctx, p, in.ID, r)
			return pageOut(pg, func(x notify.Attempt) notify.Attempt { return x }), err
		})
	handle(a, action(op("webhook-action", http.MethodPost, "/v1/webhooks/{id}", tag, "Rotate a webhook's secret, or send it a test event",
		"Needs the webhooks.manage right. POST /v1/webhooks/{id}:rotate-secret returns the new secret (once); the old one signs too for overlap_seconds. "+
			"POST /v1/webhooks/{id}:test sends a webhook.test event now and returns the attempt.")),
		func(ctx context.Context, p access.Principal, in *webhookVerb) (*bodyOut[any], error) {
			if id, ok := strings.CutSuffix(in.Target, ":test"); ok {
				att, err := svc.TestWebhook(ctx, p, id)
				return out[any](att), err
			}
			id, ok := strings.CutSuffix(in.Target, ":rotate-secret")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/webhooks/{id}:rotate-secret or {id}:test")
			}
			var overlap time.Duration
			if in.Body != nil {
				overlap = time.Duration(in.Body.OverlapSeconds) * time.Second
			}
			w, secret, err := svc.RotateSecret(ctx, p, id, overlap)
			return out[any](webhookSecret{w, secret}), err
		})
	a.deadLetterRoutes()
}

func (a *API) deadLetterRoutes() {
	const tag = "Webhooks"
	svc := a.svc.Notify
	handle(a, op("dead-messages", http.MethodGet, "/v1/messages/dead", tag, "Messages in dead-letter",
		"Needs the webhooks.manage right. Outbox messages (webhook deliveries, e-mails, texts) that ran out of attempts, newest first, with the last error."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[notify.Item], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := svc.DeadLetters(ctx, p, r)
			return pageOut(pg, func(x notify.Item) notify.Item { return x }), err
		})
	handle(a, action(op("replay-message", http.MethodPost, "/v1/messages/{target}", tag, "Replay a dead message",
		"Needs the webhooks.manage right. POST /v1/messages/{id}:replay makes a dead message due again with fresh attempts and the same message id.")),
		func(ctx context.Context, p access.Principal, in *messageVerb) (*bodyOut[notify.Item], error) {
			id, ok := strings.CutSuffix(in.Target, ":replay")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/messages/{id}:replay")
			}
			it, err := svc.Replay(ctx, p, id)
			return out(it), err
		})
}
