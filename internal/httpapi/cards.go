package httpapi

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
)

type cardIssue struct {
	Body struct {
		ProgramID string `json:"program_id" maxLength:"110"`
		OwnerType string `json:"owner_type" enum:"member,organization"`
		Owner     string `json:"owner" maxLength:"110" doc:"The member's or organization's id, or ext:<external id>"`
	}
}

// CardJSON is a card with whether this call issued it.
type CardJSON struct {
	card.Card
	Issued bool `json:"issued" doc:"True when this call issued the card; false when the owner already had it"`
}

// CardStateJSON is a card's live state.
type CardStateJSON struct {
	Card  card.Card  `json:"card"`
	State card.State `json:"state"`
}

func (a *API) cardRoutes() {
	const tag = "Cards"
	handle(a, action(op("issue-card", http.MethodPost, "/v1/cards", tag, "Issue a participant's card",
		"Needs write scope. A member's or organization's card in a program: a 16-digit number a till scans and a serial the wallets' passes use. "+
			"Asking again returns the same card (issued: false).")),
		func(ctx context.Context, p access.Principal, in *cardIssue) (*bodyOut[CardJSON], error) {
			c, issued, err := a.svc.Cards.Issue(ctx, p, card.IssueInput{ProgramID: in.Body.ProgramID, OwnerType: in.Body.OwnerType, Owner: in.Body.Owner})
			return out(CardJSON{Card: c, Issued: issued}), err
		})
	handle(a, op("get-card", http.MethodGet, "/v1/cards/{id}", tag, "Get a card", "Needs read scope."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[card.Card], error) {
			c, err := a.svc.Cards.Get(ctx, p, in.ID)
			return out(c), err
		})
	handle(a, op("get-card-state", http.MethodGet, "/v1/cards/{id}/state", tag, "A card's live state",
		"Needs read scope. What the card shows now, by card kind: the discount and what is left to its next step, the points or cashback "+
			"(available, pending, next expiry), stamps n of N, coupons to use, the organization's tier and progress."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[CardStateJSON], error) {
			c, err := a.svc.Cards.Get(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			st, err := a.svc.Cards.State(ctx, p, c)
			return out(CardStateJSON{Card: c, State: st}), err
		})
}
