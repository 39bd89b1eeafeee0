package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
)

// DryRunQuery asks to evaluate without writing.
type DryRunQuery struct {
	DryRun bool `query:"dry_run" doc:"Evaluate and answer what would happen, writing nothing"`
}

type eventIn struct {
	DryRunQuery
	Body events.Input
}

type batchIn struct {
	DryRunQuery
	Body struct {
		Events []events.Input `json:"events" minItems:"1" maxItems:"5000"`
	}
}

type batchBody struct {
	Results []events.Result `json:"results" doc:"In the order sent"`
}

type orgEventsIn struct {
	IDPath
	PageQuery
}

type quoteIn struct {
	Body events.QuoteInput
}

func (a *API) eventRoutes() {
	const tag = "Events"
	handle(a, domainIdem(action(op("ingest-event", http.MethodPost, "/v1/events", tag, "Send an event",
		"Needs write scope. Idempotent by (source, external_id): a repeat returns the first outcome with duplicate=true, the same id with other content is 409. "+
			"The sources claims, memberships and occasions are the product's own (422 reserved_source). "+
			"The answer says what every running program did: points per wallet, rules fired and why, stamps, tier changes, rewards."))),
		func(ctx context.Context, p access.Principal, in *eventIn) (*bodyOut[events.Result], error) {
			res, err := a.svc.Events.IngestOne(ctx, p, in.Body, in.DryRun)
			return out(res), err
		})
	handle(a, bulk(domainIdem(action(op("ingest-events", http.MethodPost, "/v1/events:batch", tag, "Send up to 5,000 events at once",
		"Needs write scope. All events take effect in one transaction, or none: a problem in any is reported with its index and nothing is written.")))),
		func(ctx context.Context, p access.Principal, in *batchIn) (*bodyOut[batchBody], error) {
			res, err := a.svc.Events.Ingest(ctx, p, in.Body.Events, in.DryRun)
			return out(batchBody{Results: res}), err
		})
	handle(a, op("list-organization-events", http.MethodGet, "/v1/organizations/{id}/events", tag, "An organization's events",
		"Needs read scope. Newest first, each with what every program did with it (points, rules fired, returns taken back)."),
		func(ctx context.Context, p access.Principal, in *orgEventsIn) (*listOut[events.Record], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Events.History(ctx, p, in.ID, r)
			return pageOut(pg, func(r events.Record) events.Record { return r }), err
		})
	handle(a, action(op("quote", http.MethodPost, "/v1/quote", tag, "Price a cart",
		"Needs read scope. Discounts per line and for the order under the program's stacking policy, points payment, points to earn, each with its reason. Writes nothing; confirm the order by sending it as an order event.")),
		func(ctx context.Context, p access.Principal, in *quoteIn) (*bodyOut[engine.QuoteResult], error) {
			q, err := a.svc.Events.Quote(ctx, p, in.Body)
			return out(q), err
		})
}
