package wallet

import (
	"context"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
)

// overlap is how far back each run looks again: a transaction stamps its
// rows before it commits, so a change stamped just before the last run
// may have become visible only after it. Looking again costs a state
// comparison; a card whose state is unchanged is not pushed twice.
const overlap = time.Minute

// syncPage is how many changed cards a run handles per read.
const syncPage = 200

// Sync is the wallet job of one tenant: it finds the cards whose state
// may have changed since its last run, keeps those some wallet holds, and
// for those whose state did change tells the wallets — APNs pushes to the Apple devices holding the
// pass, a replaced object for Google. It returns how many cards changed.
// Ingestion pays nothing for it: it reads what the ledger, the engine and
// coupons stamp anyway.
func (s *Service) Sync(ctx context.Context, tenantID string) (int, error) {
	if s.Apple == nil && s.Google == nil {
		return 0, nil
	}
	var mark time.Time
	if err := s.Store.Read(ctx, func(tx Tx) (err error) { mark, err = tx.WalletMark(ctx, tenantID); return err }); err != nil {
		return 0, err
	}
	now, p, n := s.Clock.Now(), access.System(tenantID), 0
	r := page.Request{Limit: syncPage}
	for {
		pg, err := s.Cards.UpdatedSince(ctx, p, mark.Add(-overlap), r)
		if err != nil {
			return n, err
		}
		in, err := s.inWallets(ctx, tenantID, pg.Items)
		if err != nil {
			return n, err
		}
		for _, c := range pg.Items {
			if !in[c.ID] {
				continue // no wallet holds it: nothing to tell
			}
			changed, err := s.refresh(ctx, c)
			if err != nil {
				return n, err
			}
			if changed {
				n++
			}
		}
		if pg.Next == "" {
			break
		}
		if r, err = page.Parse(pg.Next, syncPage); err != nil {
			return n, err
		}
	}
	return n, s.Store.Write(ctx, func(tx Tx) error { return tx.SetWalletMark(ctx, tenantID, now) })
}

func (s *Service) inWallets(ctx context.Context, tenantID string, cards []card.Card) (map[string]bool, error) {
	ids := make([]string, len(cards))
	for i, c := range cards {
		ids[i] = c.ID
	}
	var in map[string]bool
	err := s.Store.Read(ctx, func(tx Tx) (err error) { in, err = tx.CardsInWallets(ctx, tenantID, ids); return err })
	return in, err
}

// refresh compares a card's state with what the wallets show and, when
// it changed, tells them.
func (s *Service) refresh(ctx context.Context, c card.Card) (bool, error) {
	st, err := s.Cards.State(ctx, access.System(c.TenantID), c)
	if err != nil {
		return false, err
	}
	changed, err := s.Cards.Remember(ctx, c, st)
	if err != nil || !changed {
		return false, err
	}
	c, err = s.Cards.Get(ctx, access.System(c.TenantID), c.ID) // with its new shown state
	if err != nil {
		return true, err
	}
	return true, errors.Join(s.pushApple(ctx, c), s.updateGoogle(ctx, c))
}

// pushApple tells every device holding the card's pass; a device APNs no
// longer knows is unregistered (the pass was removed).
func (s *Service) pushApple(ctx context.Context, c card.Card) error {
	if s.Apple == nil || s.Pusher == nil {
		return nil
	}
	var regs []Registration
	if err := s.Store.Read(ctx, func(tx Tx) (err error) { regs, err = tx.Registrations(ctx, c.TenantID, c.ID); return err }); err != nil {
		return err
	}
	for _, r := range regs {
		err := s.Pusher.Push(ctx, r.PushToken)
		if errors.Is(err, apple.ErrUnregistered) {
			err = s.Store.Write(ctx, func(tx Tx) error { return s.unregister(ctx, tx, c, r.DeviceID) })
		}
		if err != nil {
			s.Log.Warn("apple wallet push failed", "card", c.ID, "err", err) // the next change pushes again
		}
	}
	return nil
}

// updateGoogle replaces the object of a card whose save link was handed
// out, so a saved card changes on the phone.
func (s *Service) updateGoogle(ctx context.Context, c card.Card) error {
	if s.Google == nil || s.Objects == nil {
		return nil
	}
	var saved bool
	if err := s.Store.Read(ctx, func(tx Tx) (err error) { saved, err = tx.HasInstalls(ctx, c.TenantID, c.ID, Google); return err }); err != nil || !saved {
		return err // a card never offered to Google Wallet has no object to update
	}
	v, _, err := s.view(ctx, c)
	if err != nil {
		return err
	}
	if err := s.Objects.PutObject(ctx, s.Google.Object(c.ProgramID, c.Serial, v, s.Clock.Now())); err != nil {
		s.Log.Warn("google wallet update failed", "card", c.ID, "err", err)
	}
	return nil
}
