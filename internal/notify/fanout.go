package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Outbox kinds of messages to people.
const (
	ProgramMessage = "program.message" // a rule's message effect (events.MessagePayload)
	OwnerMessage   = "message.owner"   // a trigger's message to an organization or member (ToOwner)
	PersonMessage  = "message.person"  // one message to one person
	maxRecipients  = 5000              // members of one organization a message reaches
)

// ToPerson is the payload of a message to one person.
type ToPerson struct {
	Template   string            `json:"template"`
	PersonID   string            `json:"person_id"`
	Vars       map[string]string `json:"vars,omitempty"`
	Source     string            `json:"source"` // program:<id>, campaign:<id>, trigger:<name>
	CampaignID string            `json:"campaign_id,omitempty"`
	Channel    string            `json:"channel,omitempty"` // forced (a test send); "": the person's choice
}

// ToOwner is a message to an organization's people or to a member; a
// rule's message (events.MessagePayload) reads as one too.
type ToOwner struct {
	Template  string            `json:"template"`
	OwnerType string            `json:"owner_type"`
	OwnerID   string            `json:"owner_id"`
	ProgramID string            `json:"program_id,omitempty"`
	Vars      map[string]string `json:"vars,omitempty"`
	Source    string            `json:"source,omitempty"`
}

// fanOutMessage turns a rule's message into one message per person: the
// member it names, or every active member of the organization. Each
// person's message has an id derived from the rule's, so a repeated
// fan-out sends nobody a second one.
func (s *Service) fanOutMessage(ctx context.Context, it Item) ([]Row, error) {
	var m ToOwner
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		return nil, Permanent(fmt.Errorf("malformed message: %w", err))
	}
	if m.Source == "" {
		m.Source = "program:" + m.ProgramID
	}
	people, err := s.recipients(ctx, it.TenantID, m.OwnerType, m.OwnerID)
	if err != nil {
		return nil, err
	}
	rows := make([]Row, 0, len(people)+1)
	for _, id := range people {
		rows = append(rows, Row{ID: it.ID + "." + id, Kind: PersonMessage, CreatedAt: it.CreatedAt,
			Payload: ToPerson{Template: m.Template, PersonID: id, Source: m.Source, Vars: m.Vars}})
	}
	requested, err := s.requested(ctx, it, m, len(people))
	return append(rows, requested...), err
}

// requestedData is what webhooks are told of a message a rule or a
// trigger asked for, so that an integrator can also send it through
// channels of their own.
type requestedData struct {
	Template   string            `json:"template"`
	OwnerType  string            `json:"owner_type"`
	OwnerID    string            `json:"owner_id"`
	ProgramID  string            `json:"program_id,omitempty"`
	Source     string            `json:"source"`
	Vars       map[string]string `json:"vars,omitempty"`
	Recipients int               `json:"recipients"`
}

// requested are the message.requested deliveries of a fanned-out message.
// Their ids derive from the message's, and they are queued with the
// fan-out's own outcome: one event per message, however often the fan-out
// runs.
func (s *Service) requested(ctx context.Context, it Item, m ToOwner, recipients int) ([]Row, error) {
	hooks, err := s.webhooks(ctx, it.TenantID)
	if err != nil || len(hooks) == 0 {
		return nil, err
	}
	data, err := json.Marshal(requestedData{Template: m.Template, OwnerType: m.OwnerType, OwnerID: m.OwnerID, ProgramID: m.ProgramID,
		Source: m.Source, Vars: m.Vars, Recipients: recipients})
	if err != nil {
		return nil, Permanent(err)
	}
	return deliveries(hooks, Envelope{ID: it.ID + ".requested", Type: MessageRequested, CreatedAt: it.CreatedAt, Data: data}), nil
}

// recipients are the active people a message to an owner reaches.
func (s *Service) recipients(ctx context.Context, tenantID, ownerType, ownerID string) ([]string, error) {
	if ownerType == "member" {
		return []string{ownerID}, nil
	}
	members, err := txn.Get(ctx, s.Store, func(tx Tx) ([]party.Member, error) {
		return tx.ListMembers(ctx, tenantID, party.MemberFilter{OrganizationID: ownerID, Status: party.MemberActive}, page.Request{Limit: maxRecipients})
	})
	if errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	return ids, err
}
