package wallet

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// The Service is the Apple web service's backend: every call but Updated
// is authenticated by the pass's own token.

// PassTypeID is the Apple pass type served, "" while Apple Wallet is off.
func (s *Service) PassTypeID() string {
	if s.Apple == nil {
		return ""
	}
	return s.Apple.PassTypeID
}

// Register records a device's push token for a card's pass; a new
// registration counts as the pass added to a wallet.
func (s *Service) Register(ctx context.Context, tenantID, device, serial, token, pushToken string) (bool, error) {
	c, err := s.Cards.CheckPassToken(ctx, tenantID, serial, token)
	if err != nil {
		return false, err
	}
	var created bool
	err = s.Store.Write(ctx, func(tx Tx) error {
		now := s.Clock.Now()
		if created, err = tx.RegisterDevice(ctx, tenantID, Registration{DeviceID: device, CardID: c.ID, PushToken: pushToken}, now); err != nil || !created {
			return err
		}
		return tx.InsertInstall(ctx, Install{ID: newID(), TenantID: tenantID, ProgramID: c.ProgramID, CardID: c.ID, Wallet: Apple, Action: Installed, At: now})
	})
	return created, err
}

// Unregister forgets a device's registration: the pass left its wallet.
func (s *Service) Unregister(ctx context.Context, tenantID, device, serial, token string) error {
	c, err := s.Cards.CheckPassToken(ctx, tenantID, serial, token)
	if err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error { return s.unregister(ctx, tx, c, device) })
}

func (s *Service) unregister(ctx context.Context, tx Tx, c card.Card, device string) error {
	gone, err := tx.UnregisterDevice(ctx, c.TenantID, device, c.ID)
	if err != nil || !gone {
		return err
	}
	return tx.InsertInstall(ctx, Install{ID: newID(), TenantID: c.TenantID, ProgramID: c.ProgramID, CardID: c.ID, Wallet: Apple, Action: Removed, At: s.Clock.Now()})
}

// Updated lists a device's passes whose card changed after since; the
// tag to ask from next is the latest change listed.
func (s *Service) Updated(ctx context.Context, tenantID, device string, since time.Time) ([]string, time.Time, error) {
	var cards []card.Card
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		cards, err = tx.DeviceCardsShownSince(ctx, tenantID, device, since)
		return err
	})
	serials, next := make([]string, len(cards)), since
	for i, c := range cards {
		serials[i] = c.Serial
		if c.ShownAt.After(next) {
			next = c.ShownAt
		}
	}
	return serials, next, err
}

// Latest builds a card's pass as it is now, with the token the device
// holds, and tells when its card last changed.
func (s *Service) Latest(ctx context.Context, tenantID, serial, token string) ([]byte, time.Time, error) {
	if s.Apple == nil {
		return nil, time.Time{}, notConfigured(Apple)
	}
	c, err := s.Cards.CheckPassToken(ctx, tenantID, serial, token)
	if err != nil {
		return nil, time.Time{}, err
	}
	b, err := s.buildApple(ctx, c, token)
	return b, modified(c), err
}

// modified is when a card's passes last changed.
func modified(c card.Card) time.Time {
	if c.ShownAt.After(c.CreatedAt) {
		return c.ShownAt
	}
	return c.CreatedAt
}

func newID() string { return ids.New() }
