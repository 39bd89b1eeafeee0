package notify

import "encoding/json"

// Target is whom a queued message is for, as an operator looking at
// dead letters needs it: a webhook, a person, an organization or member,
// or, for an event not yet fanned out, every webhook of its type.
type Target struct {
	Type string `json:"type"` // webhook, person, organization, member, webhooks ("" when unknown)
	ID   string `json:"id"`   // the webhook's, person's or owner's id; the event type for "webhooks"
}

// Target reads the message's recipient from its payload; a payload of a
// kind it does not know gives the zero Target.
func (it Item) Target() Target {
	var p struct {
		WebhookID string `json:"webhook_id"`
		PersonID  string `json:"person_id"`
		OwnerType string `json:"owner_type"`
		OwnerID   string `json:"owner_id"`
		Type      string `json:"type"`
	}
	if json.Unmarshal(it.Payload, &p) != nil {
		return Target{}
	}
	switch it.Kind {
	case webhookDeliveryKd:
		return Target{"webhook", p.WebhookID}
	case webhookEventKind:
		return Target{"webhooks", p.Type}
	case PersonMessage:
		return Target{"person", p.PersonID}
	case OwnerMessage, ProgramMessage:
		return Target{p.OwnerType, p.OwnerID}
	}
	return Target{}
}
