package notify

import (
	"strings"
	"time"

	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// NewSecret makes a signing secret.
func NewSecret() string { return "whsec_" + ids.Token(24) }

// CreateWebhook subscribes a URL to event types. The secret is returned
// this once; the receiver keeps it to verify signatures.
func (s *Service) CreateWebhook(ctx context.Context, p access.Principal, in WebhookInput) (Webhook, string, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return Webhook{}, "", err
	}
	if in.URL == nil {
		return Webhook{}, "", errs.InvalidField("url", "required", "give the URL to POST events to")
	}
	now := s.Clock.Now()
	w := Webhook{ID: ids.New(), TenantID: p.TenantID, Secret: NewSecret(), CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&w, s.checkFirst(ctx, in)); err != nil {
		return Webhook{}, "", err
	}
	w.DisabledAt = disabledAt(w.Disabled, nil, now)
	err := s.Store.Write(ctx, func(tx Tx) error {
		list, err := tx.ListWebhooks(ctx, p.TenantID)
		if err != nil {
			return err
		}
		if len(list) >= maxWebhooks {
			return errs.E(errs.Conflict, "too_many_webhooks", "a tenant may have at most %d webhooks; delete one first", maxWebhooks)
		}
		s.Hooked.MarkUsed(p.TenantID)
		s.cache.forget(p.TenantID)
		if err := tx.InsertWebhook(ctx, w); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "webhook.created", "webhook", w.ID, nil, w)
	})
	return w, w.Secret, err
}

// UpdateWebhook changes a subscription's URL, types, description or state.
func (s *Service) UpdateWebhook(ctx context.Context, p access.Principal, id string, in WebhookInput) (Webhook, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return Webhook{}, err
	}
	urlErr := s.checkFirst(ctx, in)
	return txn.Do(ctx, s.Store, func(tx Tx) (Webhook, error) {
		before, err := tx.GetWebhook(ctx, p.TenantID, id)
		if err != nil {
			return Webhook{}, err
		}
		w := before
		if err := in.apply(&w, urlErr); err != nil {
			return Webhook{}, err
		}
		now := s.Clock.Now()
		w.UpdatedAt, w.DisabledAt = now, disabledAt(w.Disabled, before.DisabledAt, now)
		s.cache.forget(p.TenantID)
		if err := tx.UpdateWebhook(ctx, w); err != nil {
			return Webhook{}, err
		}
		return w, audit.Record(ctx, tx, p, now, "webhook.changed", "webhook", w.ID, before, w)
	})
}

// checkFirst checks in's URL, if it has one, before the write transaction
// that applies it, and answers the verdict. The check resolves the URL's
// host, which may take seconds (the caller chooses the host); inside the
// transaction it held SQLite's only writer, or one of PostgreSQL's pooled
// connections, all that time.
func (s *Service) checkFirst(ctx context.Context, in WebhookInput) error {
	if in.URL == nil {
		return nil
	}
	return s.checkURL(ctx, strings.TrimSpace(*in.URL), s.AllowPrivate)
}

func disabledAt(disabled bool, was *time.Time, now time.Time) *time.Time {
	if !disabled {
		return nil
	}
	if was != nil {
		return was
	}
	return &now
}

// RotateSecret replaces the signing secret; the previous one keeps
// signing alongside for overlap (0: a day; at most a week), so receivers
// can switch without missing a delivery.
func (s *Service) RotateSecret(ctx context.Context, p access.Principal, id string, overlap time.Duration) (Webhook, string, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return Webhook{}, "", err
	}
	if overlap < 0 || overlap > maxOverlap {
		return Webhook{}, "", errs.InvalidField("overlap_seconds", "out_of_range", "the overlap is between 0 (a day) and %d seconds (a week)", int(maxOverlap.Seconds()))
	}
	if overlap == 0 {
		overlap = DefaultOverlap
	}
	w, err := txn.Do(ctx, s.Store, func(tx Tx) (Webhook, error) {
		w, err := tx.GetWebhook(ctx, p.TenantID, id)
		if err != nil {
			return Webhook{}, err
		}
		now := s.Clock.Now()
		w.PrevSecret, w.PrevUntil, w.Secret, w.UpdatedAt = w.Secret, now.Add(overlap), NewSecret(), now
		s.cache.forget(p.TenantID)
		if err := tx.UpdateWebhook(ctx, w); err != nil {
			return Webhook{}, err
		}
		return w, audit.Record(ctx, tx, p, now, "webhook.secret_rotated", "webhook", w.ID, nil, map[string]any{"previous_valid_until": w.PrevUntil})
	})
	return w, w.Secret, err
}

// DeleteWebhook removes a subscription; deliveries still queued for it
// are dropped.
func (s *Service) DeleteWebhook(ctx context.Context, p access.Principal, id string) error {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		s.cache.forget(p.TenantID)
		ok, err := tx.DeleteWebhook(ctx, p.TenantID, id)
		if err == nil && !ok {
			err = errs.NotFoundf("webhook", id)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, s.Clock.Now(), "webhook.deleted", "webhook", id, nil, nil)
	})
}

// Webhooks lists a tenant's subscriptions.
func (s *Service) Webhooks(ctx context.Context, p access.Principal) ([]Webhook, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return nil, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Webhook, error) { return tx.ListWebhooks(ctx, p.TenantID) })
}

// Webhook reads one subscription.
func (s *Service) Webhook(ctx context.Context, p access.Principal, id string) (Webhook, error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return Webhook{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Webhook, error) { return tx.GetWebhook(ctx, p.TenantID, id) })
}

// Attempts reads a page of a webhook's delivery log, newest first.
func (s *Service) Attempts(ctx context.Context, p access.Principal, id string, r page.Request) (page.Page[Attempt], error) {
	if err := p.Can(access.ManageWebhooks); err != nil {
		return page.Page[Attempt]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Attempt, error) {
		if _, err := tx.GetWebhook(ctx, p.TenantID, id); err != nil {
			return nil, err
		}
		return tx.ListAttempts(ctx, p.TenantID, id, r)
	})
	return page.Build(r, rows, func(a Attempt) string { return a.ID }), err
}
