package notify

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// DeadLetters lists a page of the tenant's messages that ran out of
// attempts, newest first.
func (s *Service) DeadLetters(ctx context.Context, p access.Principal, r page.Request) (page.Page[Item], error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return page.Page[Item]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Item, error) { return tx.DeadOutbox(ctx, p.TenantID, r) })
	return page.Build(r, rows, func(it Item) string { return it.ID }), err
}

// Replay makes a dead message due again, with a fresh set of attempts
// and the same message id.
func (s *Service) Replay(ctx context.Context, p access.Principal, id string) (Item, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return Item{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Item, error) {
		now := s.Clock.Now()
		ok, err := tx.ReplayOutbox(ctx, p.TenantID, id, now)
		if err != nil {
			return Item{}, err
		}
		it, err := tx.GetOutbox(ctx, p.TenantID, id)
		if err != nil {
			return Item{}, err
		}
		if !ok {
			return Item{}, errs.E(errs.Conflict, "not_dead", "message %s is not in dead-letter (it is waiting or was delivered)", id)
		}
		return it, audit.Record(ctx, tx, p, now, "message.replayed", "message", id, nil, map[string]string{"kind": it.Kind})
	})
}
