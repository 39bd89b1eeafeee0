package httpapi

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/claim"
)

type claimCreate struct {
	Body claim.Submission
}

type claimListIn struct {
	PageQuery
	Organization string `query:"organization" maxLength:"110" doc:"Only this organization's claims (id or ext:<external id>)"`
	Status       string `query:"status" enum:"pending,approving,approved,rejected"`
}

type claimReject struct {
	IDPath
	Body struct {
		Reason string `json:"reason" doc:"Why the claim is rejected; the employee reads it"`
	}
}

type documentOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	ContentLength      string `header:"Content-Length"`
	Body               []byte
}

type claimSettingsPut struct {
	IDPath
	Body struct {
		WindowDays int  `json:"window_days" doc:"Claims for invoices older than this many days are refused"`
		Enabled    bool `json:"enabled" doc:"Whether the program accepts claims"`
	}
}

func (a *API) claimRoutes() {
	const tag = "Claims"
	handle(a, bulk(op("submit-claim", http.MethodPost, "/v1/claims", tag, "Submit a sales claim",
		"Needs write scope. A partner's employee reports a sale with its invoice document (PDF, JPEG or PNG, at most 5 MiB, base64). "+
			"Refused: the same invoice number of the same organization (409 duplicate_claim), the same document (409 duplicate_document), "+
			"an invoice older than the program's claim window (422 claim_too_old), a document whose bytes are not of its declared type (422).")),
		func(ctx context.Context, p access.Principal, in *claimCreate) (*bodyOut[claim.Claim], error) {
			c, err := a.svc.Claims.Submit(ctx, p, in.Body)
			return out(claimJSON(c)), err
		})
	handle(a, op("list-claims", http.MethodGet, "/v1/claims", tag, "List claims", "Needs read scope. In submission order."),
		func(ctx context.Context, p access.Principal, in *claimListIn) (*listOut[claim.Claim], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Claims.List(ctx, p, in.Organization, in.Status, r)
			return pageOut(pg, claimJSON), err
		})
	handle(a, op("get-claim", http.MethodGet, "/v1/claims/{id}", tag, "Get a claim", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[claim.Claim], error) {
			c, err := a.svc.Claims.Get(ctx, p, in.ID)
			return out(claimJSON(c)), err
		})
	handle(a, op("get-claim-document", http.MethodGet, "/v1/claims/{id}/document", tag, "Download a claim's document",
		"Needs read scope. The bytes as submitted, with their content type."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*documentOut, error) {
			info, data, err := a.svc.Claims.Document(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			return &documentOut{ContentType: info.ContentType, Body: data, ContentLength: strconv.Itoa(len(data)),
				ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": info.Filename})}, nil
		})
	handle(a, action(op("approve-claim", http.MethodPost, "/v1/claims/{id}/approve", tag, "Approve a claim",
		"Staff (or an admin key) only. The claim becomes a claim event (source claims, external id the claim id) and the program's rules give its points; "+
			"the outcome is stored on the claim. A claim is approved once: another approval gets 409.")),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[claim.Claim], error) {
			c, err := a.svc.Claims.Approve(ctx, p, in.ID)
			return out(claimJSON(c)), err
		})
	handle(a, action(op("reject-claim", http.MethodPost, "/v1/claims/{id}/reject", tag, "Reject a claim",
		"Staff (or an admin key) only; the reason is required. A rejected claim frees its invoice number and document for a corrected claim.")),
		func(ctx context.Context, p access.Principal, in *claimReject) (*bodyOut[claim.Claim], error) {
			c, err := a.svc.Claims.Reject(ctx, p, in.ID, in.Body.Reason)
			return out(claimJSON(c)), err
		})
	handle(a, op("get-claim-settings", http.MethodGet, "/v1/programs/{id}/claim-settings", tag, "A program's claim settings",
		"Needs read scope. Never set: a 90-day window, enabled."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[claim.Settings], error) {
			s, err := a.svc.Claims.GetSettings(ctx, p, in.ID)
			return out(s), err
		})
	handle(a, op("put-claim-settings", http.MethodPut, "/v1/programs/{id}/claim-settings", tag, "Set a program's claim settings", "Needs write scope."),
		func(ctx context.Context, p access.Principal, in *claimSettingsPut) (*bodyOut[claim.Settings], error) {
			s, err := a.svc.Claims.PutSettings(ctx, p, claim.Settings{ProgramID: in.ID, WindowDays: in.Body.WindowDays, Enabled: in.Body.Enabled})
			return out(s), err
		})
}

// claimJSON makes empty lists encode as [].
func claimJSON(c claim.Claim) claim.Claim {
	c.Lines = nonNil(c.Lines)
	c.Results = nonNil(c.Results)
	return c
}
