package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/promo"
)

type campaignCreate struct {
	Body struct {
		Name        string           `json:"name" minLength:"1" maxLength:"200"`
		ProgramID   string           `json:"program_id,omitempty" maxLength:"110" doc:"The program whose quotes and orders the codes apply to; empty: any"`
		Kind        string           `json:"kind" enum:"shared,unique,personal" doc:"shared: one code (code); unique: batches of codes generated or imported; personal: each organization's own codes, issued on purchases or monthly (issue)"`
		Code        string           `json:"code,omitempty" maxLength:"100" doc:"The shared code, e.g. SKIDKA30 (case, spaces and dashes are ignored)"`
		StartsAt    *time.Time       `json:"starts_at,omitempty" doc:"Default: now"`
		EndsAt      *time.Time       `json:"ends_at,omitempty" doc:"Codes are refused from this time (null: open)"`
		MinOrder    int64            `json:"min_order,omitempty" doc:"Minor units; compared with the cart amount in scope"`
		Scope       pricing.Scope    `json:"scope,omitempty"`
		Effect      promo.CodeEffect `json:"effect"`
		TotalLimit  int64            `json:"total_limit,omitempty" doc:"Uses in all (0: unlimited)"`
		PerOrgLimit int64            `json:"per_org_limit,omitempty" doc:"Uses per organization (0: unlimited)"`
		Exclusive   bool             `json:"exclusive,omitempty" doc:"Not combinable with other offers"`
		Group       string           `json:"stacking_group,omitempty" maxLength:"100" doc:"Under the exclusive_groups stacking policy, the best discount of a group applies"`
		Budget      int64            `json:"budget,omitempty" doc:"Most discount money (points for bonus_points) in all (0: unlimited)"`
		Issue       *promo.Issue     `json:"issue,omitempty" doc:"Personal campaigns: on (purchase or month), pattern (each # a random character; at least 8), valid_months and valid_days"`
		Partners    []string         `json:"partners,omitempty" maxItems:"100" doc:"Coalition partners (ids) whose events may use the codes; default none: a partner's key cannot spend the operator's codes"`
	}
}

type campaignPartners struct {
	IDPath
	Body struct {
		Partners []string `json:"partners" maxItems:"100" doc:"Coalition partners (ids) whose events may use the codes; [] grants none"`
	}
}

type campaignStatus struct {
	IDPath
	Body struct {
		Status string `json:"status" enum:"active,paused"`
	}
}

type codesGenerate struct {
	IDPath
	Body struct {
		Pattern string `json:"pattern" minLength:"1" maxLength:"80" doc:"Each # becomes a random character of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (5 bits); at least 8 are needed"`
		Count   int    `json:"count" doc:"1 to 100000"`
	}
}

type codesImport struct {
	IDPath
	Body struct {
		Codes []string `json:"codes,omitempty" doc:"The codes, or"`
		CSV   string   `json:"csv,omitempty" doc:"CSV text, the codes in the first column (an optional header 'code')"`
	}
}

type pageByID struct {
	IDPath
	PageQuery
}

type csvOut struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (a *API) promoRoutes() {
	const tag = "Promo codes"
	const base = "/v1/promo-campaigns"
	handle(a, op("create-promo-campaign", http.MethodPost, base, tag, "Create a promo-code campaign", "Needs write scope. A shared campaign's code is stored with it."),
		func(ctx context.Context, p access.Principal, in *campaignCreate) (*bodyOut[promo.Campaign], error) {
			b := in.Body
			c, err := a.svc.Promo.Create(ctx, p, promo.Input{Name: b.Name, ProgramID: b.ProgramID, Kind: b.Kind, Code: b.Code, StartsAt: b.StartsAt,
				EndsAt: b.EndsAt, MinOrder: b.MinOrder, Scope: b.Scope, Effect: b.Effect, TotalLimit: b.TotalLimit, PerOrgLimit: b.PerOrgLimit,
				Exclusive: b.Exclusive, Group: b.Group, Budget: b.Budget, Issue: b.Issue, Partners: b.Partners})
			return out(c), err
		})
	handle(a, op("set-promo-campaign-partners", http.MethodPut, base+"/{id}/partners", tag, "Grant a campaign's codes to partners",
		"Needs write scope. Replaces the coalition partners whose events may use the campaign's codes; [] grants none (the default)."),
		func(ctx context.Context, p access.Principal, in *campaignPartners) (*bodyOut[promo.Campaign], error) {
			c, err := a.svc.Promo.SetPartners(ctx, p, in.ID, in.Body.Partners)
			return out(c), err
		})
	handle(a, op("list-promo-campaigns", http.MethodGet, base, tag, "List promo-code campaigns", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *PageQuery) (*listOut[promo.Campaign], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Promo.List(ctx, p, r)
			return pageOut(pg, same[promo.Campaign]), err
		})
	handle(a, op("get-promo-campaign", http.MethodGet, base+"/{id}", tag, "Get a promo-code campaign", "Needs read scope. used and budget_used show its consumption."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[promo.Campaign], error) {
			c, err := a.svc.Promo.Get(ctx, p, in.ID)
			return out(c), err
		})
	handle(a, action(op("set-promo-campaign-status", http.MethodPost, base+"/{id}/status", tag, "Pause or resume a campaign", "Needs write scope. A paused campaign's codes are refused.")),
		func(ctx context.Context, p access.Principal, in *campaignStatus) (*bodyOut[promo.Campaign], error) {
			c, err := a.svc.Promo.SetStatus(ctx, p, in.ID, in.Body.Status)
			return out(c), err
		})
	handle(a, op("generate-promo-codes", http.MethodPost, base+"/{id}/codes:generate", tag, "Generate unique codes",
		"Needs write scope. Up to 100,000 codes per call from a pattern such as ATLAS-####-####."),
		func(ctx context.Context, p access.Principal, in *codesGenerate) (*bodyOut[promo.Generated], error) {
			g, err := a.svc.Promo.Generate(ctx, p, in.ID, in.Body.Pattern, in.Body.Count)
			return out(g), err
		})
	handle(a, bulk(op("import-promo-codes", http.MethodPost, base+"/{id}/codes:import", tag, "Import unique codes",
		"Needs write scope. A JSON array or CSV text; every bad row is reported (codes[i]) and then nothing is stored.")),
		func(ctx context.Context, p access.Principal, in *codesImport) (*bodyOut[promo.Generated], error) {
			g, err := a.svc.Promo.Import(ctx, p, in.ID, promo.ImportInput{Codes: in.Body.Codes, CSV: in.Body.CSV})
			return out(g), err
		})
	handle(a, op("list-promo-codes", http.MethodGet, base+"/{id}/codes", tag, "List a campaign's codes", "Needs read scope. In code order."),
		func(ctx context.Context, p access.Principal, in *pageByID) (*listOut[promo.Code], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Promo.Codes(ctx, p, in.ID, r)
			return pageOut(pg, same[promo.Code]), err
		})
	handle(a, op("export-promo-codes", http.MethodGet, base+"/{id}/codes.csv", tag, "Export a campaign's codes as CSV",
		"Needs read scope. Columns: code, redeemed_at, redeemed_organization, redeemed_event, and for personal codes organization, expires_at, issued_event."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*csvOut, error) {
			b, err := a.svc.Promo.ExportCSV(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			return &csvOut{ContentType: "text/csv; charset=utf-8", Body: b}, nil
		})
	handle(a, op("list-promo-redemptions", http.MethodGet, base+"/{id}/redemptions", tag, "List a campaign's redemptions", "Needs read scope. Oldest first."),
		func(ctx context.Context, p access.Principal, in *pageByID) (*listOut[promo.Redemption], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Promo.Redemptions(ctx, p, in.ID, r)
			return pageOut(pg, same[promo.Redemption]), err
		})
}

// same is the identity conversion, for domain types served as they are.
func same[T any](v T) T { return v }
