package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/privacy"
)

type personPath struct {
	ID string `path:"id" maxLength:"110" doc:"The member's id, or ext:<external id>"`
}

func (a *API) privacyRoutes() {
	const tag = "Personal data"
	handle(a, op("export-person", http.MethodGet, "/v1/people/{id}/export", tag, "Export everything held about a person",
		"Needs admin scope; audited (member.exported). Every stored row about the member, by kind: profile, affiliations (roles over time), "+
			"consents, events, wallets, statement postings, lots, redemptions, claims, goals, coupons, referral codes, partner opt-ins, "+
			"issues and redemptions, and the audit log of changes to them."),
		func(ctx context.Context, p access.Principal, in *personPath) (*bodyOut[privacy.Export], error) {
			ex, err := a.svc.Privacy.Export(ctx, p, in.ID)
			return out(ex), err
		})
	handle(a, action(op("erase-person", http.MethodPost, "/v1/people/{id}/erase", tag, "Erase a person",
		"Needs admin scope; audited (member.erased, naming only the pseudonym). The member's personal fields (name, e-mail, phone, "+
			"messenger, birthday, external id) are replaced by a pseudonym or emptied in the profile, the consents they signed, the "+
			"audit log and stored API responses. Ledger, events and aggregates keep their ids and amounts, so balances and reports "+
			"are unchanged. Cannot be undone.")),
		func(ctx context.Context, p access.Principal, in *personPath) (*bodyOut[privacy.Erasure], error) {
			e, err := a.svc.Privacy.Erase(ctx, p, in.ID)
			return out(e), err
		})
}
