package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/wallet"
)

type cardIssue struct {
	Body struct {
		ProgramID string `json:"program_id" maxLength:"110"`
		OwnerType string `json:"owner_type" enum:"member,organization"`
		Owner     string `json:"owner" maxLength:"110" doc:"The member's or organization's id, or ext:<external id>"`
	}
}

type cardFind struct {
	Number string `query:"number" required:"true" maxLength:"32" doc:"The 16-digit card number, as scanned"`
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
	a.cardDesignRoutes()
	a.walletInstallRoutes()
	handle(a, action(op("issue-card", http.MethodPost, "/v1/cards", tag, "Issue a participant's card",
		"Needs write scope. A member's or organization's card in a program: a 16-digit number a till scans and a serial the wallets' passes use. "+
			"Asking again returns the same card (issued: false).")),
		func(ctx context.Context, p access.Principal, in *cardIssue) (*bodyOut[CardJSON], error) {
			c, issued, err := a.svc.Cards.Issue(ctx, p, card.IssueInput{ProgramID: in.Body.ProgramID, OwnerType: in.Body.OwnerType, Owner: in.Body.Owner})
			return out(CardJSON{Card: c, Issued: issued}), err
		})
	handle(a, op("find-card", http.MethodGet, "/v1/cards", tag, "Find a card by its number",
		"Needs read scope. What a till does with a scanned card: the number's check digit is verified, then the card (with its owner) is returned."),
		func(ctx context.Context, p access.Principal, in *cardFind) (*bodyOut[card.Card], error) {
			c, err := a.svc.Cards.ByNumber(ctx, p, in.Number)
			return out(c), err
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

type cardDesignIn struct {
	IDPath
	Body struct {
		Title       string   `json:"title" maxLength:"100"`
		Description string   `json:"description,omitempty" maxLength:"400"`
		Background  string   `json:"background" maxLength:"7" doc:"#rrggbb"`
		Foreground  string   `json:"foreground" maxLength:"7" doc:"#rrggbb"`
		Label       string   `json:"label" maxLength:"7" doc:"#rrggbb"`
		Fields      []string `json:"fields" maxItems:"8" doc:"balance, pending, expiry, tier, progress, discount, stamps, coupons"`
		Logo        string   `json:"logo,omitempty" maxLength:"800000" doc:"A PNG or JPEG image, base64 (at most 512 KB and 1024 pixels a side); omitted: keep the current logo"`
		RemoveLogo  bool     `json:"remove_logo,omitempty"`
	}
}

func (in *cardDesignIn) design() (card.Design, error) {
	b := in.Body
	d := card.Design{ProgramID: in.ID, Title: b.Title, Description: b.Description, Background: b.Background, Foreground: b.Foreground,
		Label: b.Label, Fields: b.Fields}
	switch {
	case b.RemoveLogo:
		d.Logo = []byte{}
	case b.Logo != "":
		logo, err := base64.StdEncoding.DecodeString(b.Logo)
		if err != nil {
			return d, errs.InvalidField("logo", "invalid_base64", "the logo must be base64 (standard alphabet, padded)")
		}
		d.Logo = logo
	}
	if d.Fields == nil {
		d.Fields = []string{}
	}
	return d, nil
}

func (a *API) cardDesignRoutes() {
	const tag = "Cards"
	handle(a, op("get-card-design", http.MethodGet, "/v1/programs/{id}/card-design", tag, "A program's card design",
		"Needs read scope. The default design until one is set."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[card.Design], error) {
			d, err := a.svc.Cards.DesignOf(ctx, p, in.ID)
			return out(d), err
		})
	handle(a, op("put-card-design", http.MethodPut, "/v1/programs/{id}/card-design", tag, "Set a program's card design",
		"Needs write scope. Colours, title, the fields the cards show and the logo; wallet passes take it on their next update."),
		func(ctx context.Context, p access.Principal, in *cardDesignIn) (*bodyOut[card.Design], error) {
			d, err := in.design()
			if err != nil {
				return nil, err
			}
			d, err = a.svc.Cards.PutDesign(ctx, p, d)
			return out(d), err
		})
}

type previewIn struct {
	IDPath
	Locale string `query:"locale" maxLength:"10" doc:"en (default) or ru"`
}

func (a *API) walletInstallRoutes() {
	handle(a, op("preview-card-design", http.MethodGet, "/v1/programs/{id}/card-design/preview", "Cards", "Preview a program's card design",
		"Needs read scope. The design on a sample card just after an earn: the fields as the passes lay them out, with their labels, "+
			"values and lock-screen messages in the locale, and the pass's front as SVG."),
		func(ctx context.Context, p access.Principal, in *previewIn) (*bodyOut[wallet.Preview], error) {
			pv, err := a.svc.Wallet.Preview(ctx, p, in.ID, in.Locale)
			return out(pv), err
		})
	handle(a, op("get-wallet-installs", http.MethodGet, "/v1/programs/{id}/wallet-installs", "Cards", "A program's cards in Apple and Google wallets",
		"Needs read scope. Apple passes added to and removed from wallets (devices registered for updates), those held now; the "+
			"\"save to Google Wallet\" links handed out, and the Google passes saved, deleted and held now as Google's signed callbacks "+
			"report them; configured says whether each wallet is set up on this server, callbacks whether Google's callbacks are verified."),
		func(ctx context.Context, p access.Principal, in *IDPath) (*bodyOut[wallet.Installs], error) {
			n, err := a.svc.Wallet.Count(ctx, p, in.ID)
			return out(n), err
		})
}
