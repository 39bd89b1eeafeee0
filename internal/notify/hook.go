package notify

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// publishTx is what publishing needs from a transaction.
type publishTx interface {
	HasWebhooks(ctx context.Context, tenantID string) (bool, error)
	QueueRows(ctx context.Context, tenantID string, rows []Row) error
}

// Publish queues an event for a tenant's webhooks in the caller's
// transaction, so that it leaves if and only if the change commits. A
// tenant without webhooks pays one cached check.
func (s *Service) Publish(ctx context.Context, tx any, tenantID, typ string, data any) error {
	ptx, ok := tx.(publishTx)
	if !ok {
		return nil
	}
	has, err := s.Hooked.Uses(tenantID, func() (bool, error) { return ptx.HasWebhooks(ctx, tenantID) })
	if err != nil || !has {
		return err
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	return ptx.QueueRows(ctx, tenantID, []Row{{ID: ids.New(), Kind: webhookEventKind, CreatedAt: s.Clock.Now(),
		Payload: eventPayload{Type: typ, Data: b}}})
}

// eventData is what webhooks are told of a processed event.
type eventData struct {
	EventID        string `json:"event_id"`
	Type           string `json:"type"`
	Source         string `json:"source"`
	ExternalID     string `json:"external_id"`
	OrganizationID string `json:"organization_id"`
	MemberID       string `json:"member_id,omitempty"`
	Points         int64  `json:"points"`
	ProgramID      string `json:"program_id,omitempty"`
	TierFrom       string `json:"tier_from,omitempty"`
	TierTo         string `json:"tier_to,omitempty"`
}

// AfterEvent implements events.Hook: a new event is published as
// event.processed, and as points.earned and tier.changed when its
// programs did so.
func (s *Service) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	ev := rec.Event
	base := eventData{EventID: rec.ID, Type: ev.Type, Source: ev.Source, ExternalID: ev.ExternalID, OrganizationID: rec.OrganizationID, MemberID: rec.MemberID}
	var total int64
	for _, r := range rec.Results {
		total += r.Points()
	}
	all := base
	all.Points = total
	if err := s.Publish(ctx, h.Tx, rec.TenantID, EventProcessed, all); err != nil {
		return err
	}
	for _, r := range rec.Results {
		d := base
		d.ProgramID = r.ProgramID
		if p := r.Points(); p > 0 {
			d.Points = p
			if err := s.Publish(ctx, h.Tx, rec.TenantID, PointsEarned, d); err != nil {
				return err
			}
		}
		if err := s.tierTrigger(ctx, h, rec, r); err != nil {
			return err
		}
		if r.Tier != nil && r.Tier.From != r.Tier.To {
			d.TierFrom, d.TierTo = r.Tier.From, r.Tier.To
			if err := s.Publish(ctx, h.Tx, rec.TenantID, TierChanged, d); err != nil {
				return err
			}
		}
	}
	return nil
}
