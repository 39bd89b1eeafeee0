package card

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Get returns a card by id.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Card, error) {
	return s.read(ctx, p, func(tx Tx) (Card, error) { return tx.GetCard(ctx, p.TenantID, id) })
}

// BySerial returns a card by its wallet serial.
func (s *Service) BySerial(ctx context.Context, p access.Principal, serial string) (Card, error) {
	return s.read(ctx, p, func(tx Tx) (Card, error) { return tx.CardBySerial(ctx, p.TenantID, serial) })
}

// ByNumber returns a card by the number a till scanned.
func (s *Service) ByNumber(ctx context.Context, p access.Principal, number string) (Card, error) {
	if !ValidNumber(number) {
		return Card{}, errs.InvalidField("number", "invalid_card_number", "a card number is 16 digits with a valid check digit")
	}
	return s.read(ctx, p, func(tx Tx) (Card, error) { return tx.CardByNumber(ctx, p.TenantID, number) })
}

// Of returns an owner's card in a program (NotFound before it is issued).
func (s *Service) Of(ctx context.Context, p access.Principal, programID, ownerType, ownerID string) (Card, error) {
	return s.read(ctx, p, func(tx Tx) (Card, error) { return tx.CardOf(ctx, p.TenantID, programID, ownerType, ownerID) })
}

// ListOf returns an owner's cards in every program.
func (s *Service) ListOf(ctx context.Context, p access.Principal, ownerType, ownerID string) ([]Card, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Card, error) {
		if err := p.RequireReach(ctx, tx, ownerType, ownerID); err != nil {
			return nil, err
		}
		return tx.ListCardsOf(ctx, p.TenantID, ownerType, ownerID)
	})
}

func (s *Service) read(ctx context.Context, p access.Principal, get func(tx Tx) (Card, error)) (Card, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Card{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Card, error) {
		c, err := get(tx)
		if err != nil {
			return c, err
		}
		return c, p.RequireReach(ctx, tx, c.OwnerType, c.OwnerID)
	})
}

// UpdatedSince returns a page of a tenant's cards whose state may have
// changed after since: their owner's wallets were posted to, their
// organization's standing in the program (tier, stamps, discount) or its
// coupons changed. It reads what the ledger, the engine and coupons
// already stamp on their rows, so ingestion pays nothing for it; a card
// listed may turn out unchanged (the caller compares states).
func (s *Service) UpdatedSince(ctx context.Context, p access.Principal, since time.Time, r page.Request) (page.Page[Card], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Card]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Card, error) {
		return tx.CardsChangedSince(ctx, p.TenantID, since, r)
	})
	return page.Build(r, rows, func(c Card) string { return c.ID }), err
}

// passTokenBytes of randomness: Apple asks for at least 16 characters.
const passTokenBytes = 20

// NewPassToken mints the authentication token of one copy of a card's
// Apple pass (each download gets its own); only its hash is stored.
func (s *Service) NewPassToken(ctx context.Context, tenantID, cardID string) (string, error) {
	tok := ids.Token(passTokenBytes)
	err := s.Store.Write(ctx, func(tx Tx) error {
		return tx.InsertPassToken(ctx, tenantID, cardID, ids.Hash(tok), s.Clock.Now())
	})
	return tok, err
}

// CheckPassToken returns the card of a serial when token is one of its
// passes' tokens, or an Unauthenticated error, the same for an unknown
// serial and a wrong token.
func (s *Service) CheckPassToken(ctx context.Context, tenantID, serial, token string) (Card, error) {
	denied := errs.E(errs.Unauthenticated, "bad_pass_token", "unknown pass or wrong authentication token")
	if token == "" || serial == "" {
		return Card{}, denied
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Card, error) {
		c, err := tx.CardBySerial(ctx, tenantID, serial)
		if errs.Is(err, errs.NotFound) {
			return Card{}, denied
		}
		if err != nil {
			return Card{}, err
		}
		ok, err := tx.PassTokenExists(ctx, tenantID, c.ID, ids.Hash(token))
		if err == nil && !ok {
			err = denied
		}
		return c, err
	})
}
