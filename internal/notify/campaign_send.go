package notify

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// SendCampaign sends a draft campaign now, or schedules it for at (a
// future time). Sending queues one message per person in one
// transaction; the relay delivers them.
func (s *Service) SendCampaign(ctx context.Context, p access.Principal, id string, at *time.Time) (Campaign, error) {
	if err := p.Can(access.ManageMessages); err != nil {
		return Campaign{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Campaign, error) {
		c, err := tx.LockMessageCampaign(ctx, p.TenantID, id)
		if err != nil {
			return Campaign{}, err
		}
		if c.Status == CampaignSent {
			return Campaign{}, errs.E(errs.Conflict, "already_sent", "campaign %s was sent on %s", c.ID, c.SentAt.Format(time.DateOnly))
		}
		if at != nil && at.After(now) {
			c.Status, c.ScheduledAt, c.UpdatedAt = CampaignScheduled, at, now
			if err := tx.UpdateMessageCampaign(ctx, c); err != nil {
				return Campaign{}, err
			}
			return c, audit.Record(ctx, tx, p, now, "campaign.scheduled", "campaign", c.ID, nil, c)
		}
		return s.sendNow(ctx, tx, p, c, now)
	})
}

// sendNow queues the campaign's messages. A person's message id derives
// from the campaign's, so a campaign can never reach anyone twice.
func (s *Service) sendNow(ctx context.Context, tx Tx, p access.Principal, c Campaign, now time.Time) (Campaign, error) {
	people, err := tx.Audience(ctx, c.TenantID, c.SegmentID, c.Roles, maxAudience+1)
	if err != nil {
		return Campaign{}, err
	}
	if len(people) > maxAudience {
		return Campaign{}, errs.E(errs.Invalid, "audience_too_large", "the audience is over %d people; narrow it by segment or roles", maxAudience)
	}
	rows := make([]Row, len(people))
	for i, id := range people {
		rows[i] = Row{ID: c.ID + "." + id, Kind: PersonMessage, CreatedAt: now,
			Payload: ToPerson{Template: c.Template, PersonID: id, Source: "campaign:" + c.ID, CampaignID: c.ID}}
	}
	if err := tx.QueueRows(ctx, c.TenantID, rows); err != nil {
		return Campaign{}, err
	}
	if err := tx.RecordRecipients(ctx, c.TenantID, c.ID, people); err != nil {
		return Campaign{}, err
	}
	c.Status, c.SentAt, c.Audience, c.UpdatedAt = CampaignSent, &now, len(people), now
	if err := tx.UpdateMessageCampaign(ctx, c); err != nil {
		return Campaign{}, err
	}
	return c, audit.Record(ctx, tx, p, now, "campaign.sent", "campaign", c.ID, nil, map[string]int{"audience": c.Audience})
}

// SendDue sends a tenant's scheduled campaigns whose time has come (the
// job loop runs it); it returns how many it sent.
func (s *Service) SendDue(ctx context.Context, tenantID string, now time.Time) (int, error) {
	due, err := txn.Get(ctx, s.Store, func(tx Tx) ([]string, error) { return tx.DueMessageCampaigns(ctx, tenantID, now) })
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range due {
		err := s.Store.Write(ctx, func(tx Tx) error {
			c, err := tx.LockMessageCampaign(ctx, tenantID, id)
			if err != nil || c.Status != CampaignScheduled { // another replica sent it
				return err
			}
			_, err = s.sendNow(ctx, tx, access.System(tenantID), c, now)
			return err
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
