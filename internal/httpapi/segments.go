package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/segment"
)

type segmentCreate struct {
	Body struct {
		Code  string              `json:"code" doc:"Lowercase code rules see in org.segments, unique per tenant"`
		Name  string              `json:"name"`
		Rules []segment.Condition `json:"rules" doc:"Conditions that must all hold"`
	}
}

type segmentPatch struct {
	IDPath
	Body struct {
		Code  *string              `json:"code,omitempty"`
		Name  *string              `json:"name,omitempty"`
		Rules *[]segment.Condition `json:"rules,omitempty"`
	}
}

type segmentVerb struct {
	Target string `path:"id" maxLength:"120" doc:"The segment id followed by the verb: <segment id>:refresh"`
}

type segmentOrgs struct {
	IDPath
	PageQuery
}

func (a *API) segmentRoutes() {
	const tag = "Segments"
	handle(a, op("create-segment", http.MethodPost, "/v1/segments", tag, "Create a segment",
		"Needs write scope. Rules over organization attributes (type, region, industry, size, country, tags, tier) and analytics (abc, churn_risk, r, f, m); docs/ANALYTICS.md."),
		func(ctx context.Context, p access.Principal, in *segmentCreate) (*bodyOut[segment.Segment], error) {
			rules := in.Body.Rules
			sg, err := a.svc.Segments.Create(ctx, p, segment.Input{Code: &in.Body.Code, Name: &in.Body.Name, Rules: &rules})
			return out(sg), err
		})
	handle(a, op("list-segments", http.MethodGet, "/v1/segments", tag, "List segments", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[segment.Segment], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Segments.List(ctx, p, r)
			return pageOut(pg, func(s segment.Segment) segment.Segment { return s }), err
		})
	handle(a, op("get-segment", http.MethodGet, "/v1/segments/{id}", tag, "Get a segment", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[segment.Segment], error) {
			sg, err := a.svc.Segments.Get(ctx, p, in.ID)
			return out(sg), err
		})
	handle(a, op("update-segment", http.MethodPatch, "/v1/segments/{id}", tag, "Change a segment",
		"Needs write scope. Memberships change at the next refresh."),
		func(ctx context.Context, p access.Principal, in *segmentPatch) (*bodyOut[segment.Segment], error) {
			sg, err := a.svc.Segments.Update(ctx, p, in.ID, segment.Input{Code: in.Body.Code, Name: in.Body.Name, Rules: in.Body.Rules})
			return out(sg), err
		})
	handle(a, op("delete-segment", http.MethodDelete, "/v1/segments/{id}", tag, "Delete a segment", "Needs write scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*struct{}, error) {
			return nil, a.svc.Segments.Delete(ctx, p, in.ID)
		})
	handle(a, op("segment-organizations", http.MethodGet, "/v1/segments/{id}/organizations", tag, "Evaluate a segment",
		"Needs read scope. The active organizations matching the rules now (analytics over the 365 days before now, k = 2), by id."),
		func(ctx context.Context, p access.Principal, in *segmentOrgs) (*listOut[segment.Match], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Segments.Organizations(ctx, p, in.ID, r)
			return pageOut(pg, func(m segment.Match) segment.Match { return m }), err
		})
	// Go's ServeMux takes only whole-segment wildcards, so {id}:refresh is
	// one wildcard whose value carries the verb; it is named {id} like the
	// segment's other paths, which differ from it only by method.
	handle(a, action(op("refresh-segment", http.MethodPost, "/v1/segments/{id}", tag, "Refresh a segment's memberships",
		"Needs write scope. POST /v1/segments/{id}:refresh evaluates the segment and stores its organizations, which rules read as org.segments "+
			"(the daily job `loyal jobs run segments` does this for all).")),
		func(ctx context.Context, p access.Principal, in *segmentVerb) (*bodyOut[segment.Segment], error) {
			id, ok := strings.CutSuffix(in.Target, ":refresh")
			if !ok {
				return nil, errs.E(errs.NotFound, "not_found", "no such operation: POST /v1/segments/{id}:refresh refreshes a segment")
			}
			sg, err := a.svc.Segments.Refresh(ctx, p, id)
			return out(sg), err
		})
}
