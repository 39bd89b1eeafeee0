package notify

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
)

// TrackOpen records that an e-mail's pixel was loaded. A bad token is
// NotFound; with tracking turned off since, nothing is recorded.
func (s *Service) TrackOpen(ctx context.Context, token string) error {
	l, err := s.verify(ctx, token, linkOpen)
	if err != nil {
		return err
	}
	return s.record(ctx, l, false)
}

// TrackClick records a click on a rewritten link and returns where it
// goes: only a target signed into the token, and only http(s), so the
// redirect cannot send anyone elsewhere.
func (s *Service) TrackClick(ctx context.Context, token string) (string, error) {
	l, err := s.verify(ctx, token, linkClick)
	if err != nil {
		return "", err
	}
	if !trackable(l.Target) {
		return "", errNoLink
	}
	return l.Target, s.record(ctx, l, true)
}

// record notes an open or a click if the tenant still tracks.
func (s *Service) record(ctx context.Context, l link, click bool) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		st, found, err := tx.GetMessageSettings(ctx, l.TenantID)
		if err != nil || (found && !st.Tracking) || (!found && !DefaultSettings.Tracking) {
			return err
		}
		return tx.RecordTrack(ctx, l.TenantID, l.MessageID, click, s.Clock.Now())
	})
}

// MarkSeen records that a member had these inbox messages in front of
// them (the portal's messages page shows each in full); the first time
// counts. Only the person's own messages are touched.
func (s *Service) MarkSeen(ctx context.Context, p access.Principal, personID string, ids []string) error {
	if err := p.Can(access.ReadData); err != nil || len(ids) == 0 {
		return err
	}
	return s.Store.Write(ctx, func(tx Tx) error {
		if _, err := s.person(ctx, tx, p, personID); err != nil {
			return err
		}
		return tx.MarkInboxSeen(ctx, p.TenantID, personID, ids, s.Clock.Now())
	})
}
