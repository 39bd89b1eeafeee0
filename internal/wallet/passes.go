package wallet

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/passview"
)

// view composes what a card's passes show now, with the change messages
// of the last change the wallets were told of.
func (s *Service) view(ctx context.Context, c card.Card) (passview.View, card.Design, error) {
	p := access.System(c.TenantID)
	st, err := s.Cards.State(ctx, p, c)
	if err != nil {
		return passview.View{}, card.Design{}, err
	}
	if c.Shown == "" {
		// The first pass handed out is the baseline the next change is
		// told against ("+120 points").
		if _, err := s.Cards.Remember(ctx, c, st); err != nil {
			return passview.View{}, card.Design{}, err
		}
	}
	d, err := s.Cards.DesignOf(ctx, p, c.ProgramID)
	if err != nil {
		return passview.View{}, d, err
	}
	return passview.Build(c, st, previous(c, st), d), d, nil
}

// previous is the state to compare st with: what the wallets showed
// before the last change when st is that change, else what they show.
func previous(c card.Card, st card.State) *card.State {
	shown := card.Shown(c.Shown)
	if shown == nil {
		return nil
	}
	if card.SameState(*shown, st) {
		return card.Shown(c.ShownBefore)
	}
	return shown
}

// ApplePass builds a card's Apple pass for a member to add: a copy with
// a token of its own for the web service.
func (s *Service) ApplePass(ctx context.Context, c card.Card) ([]byte, error) {
	if s.Apple == nil {
		return nil, notConfigured(Apple)
	}
	tok, err := s.Cards.NewPassToken(ctx, c.TenantID, c.ID)
	if err != nil {
		return nil, err
	}
	return s.buildApple(ctx, c, tok)
}

func (s *Service) buildApple(ctx context.Context, c card.Card, token string) ([]byte, error) {
	v, d, err := s.view(ctx, c)
	if err != nil {
		return nil, err
	}
	return s.Apple.Build(apple.Pass{Serial: c.Serial, AuthToken: token, WebServiceURL: s.webServiceURL(c.TenantID), View: v, Logo: d.Logo})
}

// webServiceURL is where a tenant's passes reach the web service.
func (s *Service) webServiceURL(tenantID string) string {
	return s.PublicURL + apple.Root + "/" + tenantID
}

// GoogleSaveURL is a card's "save to Google Wallet" link; handing it out
// is counted.
func (s *Service) GoogleSaveURL(ctx context.Context, c card.Card) (string, error) {
	if s.Google == nil {
		return "", notConfigured(Google)
	}
	v, _, err := s.view(ctx, c)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	class := s.Google.Class(c.ProgramID, s.Issuer, v, s.LogoURL(c.TenantID, c.ProgramID))
	if s.Callbacks != nil {
		class.CallbackOptions = &google.CallbackOptions{URL: s.GoogleCallbackURL(c.TenantID)}
	}
	u, err := s.Google.SaveURL(class, s.Google.Object(c.ProgramID, c.Serial, v, now), s.PublicURL, now)
	if err != nil {
		return "", err
	}
	return u, s.count(ctx, c, Google, SaveLink, now)
}

// LogoURL is the public address of a program's logo (Google fetches it).
func (s *Service) LogoURL(tenantID, programID string) string {
	return s.PublicURL + LogoRoot + tenantID + "/" + programID + ".png"
}

func (s *Service) count(ctx context.Context, c card.Card, wallet, action string, at time.Time) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		return tx.InsertInstall(ctx, Install{ID: newID(), TenantID: c.TenantID, ProgramID: c.ProgramID, CardID: c.ID, Wallet: wallet, Action: action, At: at})
	})
}
