package notify

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// publishTx is what publishing needs from a transaction.
type publishTx interface {
	HasWebhooks(ctx context.Context, tenantID string) (bool, error)
	ListWebhooks(ctx context.Context, tenantID string) ([]Webhook, error)
	// TemplateCodes returns which of codes the tenant has a template of.
	TemplateCodes(ctx context.Context, tenantID string, codes []string) ([]string, error)
	QueueRows(ctx context.Context, tenantID string, rows []Row) error
}

// Publish announces an event in the caller's transaction, so that what
// it causes leaves if and only if the change commits: the messages its
// triggers send to people (if the tenant has their templates), and one
// delivery per webhook subscribed to its type, fanned out here so that
// the relay only delivers. A tenant without webhooks pays one cached
// check. It implements outbound.Publisher.
func (s *Service) Publish(ctx context.Context, tx any, tenantID, typ string, data any) error {
	ptx, ok := tx.(publishTx)
	if !ok {
		return nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	if err := s.trigger(ctx, ptx, tenantID, typ, b); err != nil {
		return err
	}
	has, err := s.Hooked.Uses(tenantID, func() (bool, error) { return ptx.HasWebhooks(ctx, tenantID) })
	if err != nil || !has {
		return err
	}
	hooks, err := s.webhooksIn(ctx, ptx, tenantID)
	if err != nil {
		return err
	}
	ev := Envelope{ID: ids.New(), Type: typ, CreatedAt: s.Clock.Now(), Data: b}
	return ptx.QueueRows(ctx, tenantID, deliveries(hooks, ev))
}

// deliveries are an event's rows for the webhooks that want it, each
// retried on its own; their ids derive from the event's and webhook's.
func deliveries(hooks []Webhook, ev Envelope) []Row {
	var rows []Row
	for _, w := range hooks {
		if w.Wants(ev.Type) && ev.Type != WebhookTest {
			rows = append(rows, Row{ID: ev.ID + "." + w.ID, Kind: webhookDeliveryKd, CreatedAt: ev.CreatedAt,
				Payload: deliveryPayload{WebhookID: w.ID, Event: ev}})
		}
	}
	return rows
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
	Direction      string `json:"direction,omitempty"` // of a tier change: up (an event only raises tiers)
}

// CheckTx implements events.TxChecker: Publish quietly does nothing with
// a transaction that cannot publish, so a store lacking one of
// publishTx's queries must fail when the app is wired, not silence every
// message and webhook.
func (s *Service) CheckTx(tx events.Tx) error { return events.Needs[publishTx](tx) }

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
	if err := s.birthday(ctx, h, rec, all); err != nil {
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
		if r.Tier != nil && r.Tier.From != r.Tier.To {
			d.TierFrom, d.TierTo, d.Direction = r.Tier.From, r.Tier.To, "up"
			if err := s.Publish(ctx, h.Tx, rec.TenantID, TierChanged, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// birthday sends the birthday template to the member of a birthday event
// (the occasions job makes one per member born that day), if the tenant
// has one; a rule's message effect on birthdays is the other way.
func (s *Service) birthday(ctx context.Context, h *events.HookCtx, rec *events.Record, d eventData) error {
	ptx, ok := h.Tx.(publishTx)
	if !ok || rec.Event.Type != engine.Birthday || rec.MemberID == "" {
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.trigger(ctx, ptx, rec.TenantID, TemplateBirthday, b)
}
