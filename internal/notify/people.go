package notify

import (
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// person reads a member the caller may see (an account manager only
// their own organizations').
func (s *Service) person(ctx context.Context, tx Tx, p access.Principal, id string) (party.Member, error) {
	m, err := tx.GetMember(ctx, p.TenantID, id)
	if err != nil {
		return m, err
	}
	return m, p.RequireReach(ctx, tx, "member", m.ID)
}

// Inbox reads a page of a person's in-portal messages, newest first.
func (s *Service) Inbox(ctx context.Context, p access.Principal, personID string, r page.Request) (page.Page[InboxMessage], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[InboxMessage]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]InboxMessage, error) {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return nil, err
		}
		return tx.ListInbox(ctx, p.TenantID, personID, r)
	})
	return page.Build(r, rows, func(m InboxMessage) string { return m.ID }), err
}

// MarkRead marks a message of a person's inbox read.
func (s *Service) MarkRead(ctx context.Context, p access.Principal, personID, messageID string) error {
	if err := p.Can(access.ReadData); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return err
		}
		ok, err := tx.MarkInboxRead(ctx, p.TenantID, personID, messageID, s.Clock.Now())
		if err == nil && !ok {
			err = errs.NotFoundf("message", messageID)
		}
		return err
	})
}

// Unread counts the unread messages of a person's inbox.
func (s *Service) Unread(ctx context.Context, p access.Principal, personID string) (int, error) {
	if err := p.Can(access.ReadData); err != nil {
		return 0, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (int, error) {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return 0, err
		}
		return tx.CountUnreadInbox(ctx, p.TenantID, personID)
	})
}

// Preferences are the channels a person withdrew from.
type Preferences struct {
	PersonID string   `json:"person_id"`
	OptedOut []string `json:"opted_out" doc:"Channels (email, sms, push, portal) or all"`
}

// GetPreferences reads a person's channel choices.
func (s *Service) GetPreferences(ctx context.Context, p access.Principal, personID string) (Preferences, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Preferences{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Preferences, error) {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return Preferences{}, err
		}
		outs, err := tx.OptOuts(ctx, p.TenantID, personID)
		return Preferences{PersonID: personID, OptedOut: append([]string{}, outs...)}, err
	})
}

// SetPreferences replaces a person's withdrawals (as they said, through
// whoever records it, or themselves in the portal).
func (s *Service) SetPreferences(ctx context.Context, p access.Principal, personID string, optedOut []string) (Preferences, error) {
	if err := p.Can(access.EditParties); err != nil {
		return Preferences{}, err
	}
	for _, ch := range optedOut {
		if ch != "all" && !slices.Contains(Channels, ch) {
			return Preferences{}, errs.InvalidField("opted_out", "bad_channel", "unknown channel %q; use %s or all", ch, strings.Join(Channels, ", "))
		}
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Preferences, error) {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return Preferences{}, err
		}
		before, err := tx.OptOuts(ctx, p.TenantID, personID)
		if err != nil {
			return Preferences{}, err
		}
		now, source := s.Clock.Now(), "staff:"+p.Name()
		if p.IsMember() {
			source = "member" // in the portal, the person themselves
		}
		for _, ch := range append(append([]string{}, Channels...), "all") {
			if slices.Contains(optedOut, ch) {
				err = tx.PutOptOut(ctx, p.TenantID, personID, ch, source, now)
			} else {
				err = tx.DeleteOptOut(ctx, p.TenantID, personID, ch)
			}
			if err != nil {
				return Preferences{}, err
			}
		}
		after := Preferences{PersonID: personID, OptedOut: optedOut}
		return after, audit.Record(ctx, tx, p, now, "member.message_preferences", "member", personID, before, optedOut)
	})
}

// Unsubscription is what an unsubscribe link names.
type Unsubscription struct {
	TenantName string
	Channel    string
}

// LookUpUnsubscribe reads what an unsubscribe link would withdraw from.
func (s *Service) LookUpUnsubscribe(ctx context.Context, secret string) (Unsubscription, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) (Unsubscription, error) {
		tenantID, _, channel, err := tx.UnsubscribeLink(ctx, ids.Hash(secret))
		if err != nil {
			return Unsubscription{}, err
		}
		t, err := tx.TenantByID(ctx, tenantID)
		return Unsubscription{TenantName: t.Name, Channel: channel}, err
	})
}

// Unsubscribe records the withdrawal an unsubscribe link names. It is
// public (the link is the proof) and may be used again harmlessly.
func (s *Service) Unsubscribe(ctx context.Context, secret string) (Unsubscription, error) {
	var u Unsubscription
	err := s.Store.Write(ctx, func(tx Tx) error {
		tenantID, personID, channel, err := tx.UnsubscribeLink(ctx, ids.Hash(secret))
		if err != nil {
			return err
		}
		t, err := tx.TenantByID(ctx, tenantID)
		if err != nil {
			return err
		}
		u = Unsubscription{TenantName: t.Name, Channel: channel}
		now := s.Clock.Now()
		if err := tx.PutOptOut(ctx, tenantID, personID, channel, "unsubscribe_link", now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.System(tenantID), now, "member.unsubscribed", "member", personID, nil, map[string]string{"channel": channel})
	})
	return u, err
}

// GetSettings reads the tenant's messaging settings.
func (s *Service) GetSettings(ctx context.Context, p access.Principal) (Settings, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Settings{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Settings, error) {
		st, found, err := tx.GetMessageSettings(ctx, p.TenantID)
		if !found {
			st = DefaultSettings
		}
		return st, err
	})
}

// PutSettings saves the tenant's messaging settings.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, in Settings) (Settings, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Settings{}, err
	}
	if err := in.check(); err != nil {
		return Settings{}, err
	}
	return in, s.Store.Write(ctx, func(tx Tx) error {
		now := s.Clock.Now()
		if err := tx.PutMessageSettings(ctx, p.TenantID, in, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, p, now, "messaging.settings_changed", "tenant", p.TenantID, nil, in)
	})
}
