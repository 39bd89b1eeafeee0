package notify

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// Webhook event types an integrator may subscribe to ("*": all).
const (
	EventProcessed    = outbound.EventProcessed
	PointsEarned      = outbound.PointsEarned
	PointsSpent       = outbound.PointsSpent
	PointsExpired     = outbound.PointsExpired
	TierChanged       = outbound.TierChanged
	RedemptionStatus  = outbound.RedemptionStatus
	ClaimStatus       = outbound.ClaimStatus
	ConsentRecorded   = outbound.ConsentRecorded
	MemberRegistered  = outbound.MemberRegistered
	GoalProgress      = outbound.GoalProgress
	GoalAchieved      = outbound.GoalAchieved
	MessageRequested  = "message.requested"
	WebhookTest       = "webhook.test"
	AllTypes          = "*"
	maxWebhooks       = 50
	MaxBatch          = 100 // events in one request of a batching webhook
	DefaultOverlap    = 24 * time.Hour
	maxOverlap        = 7 * 24 * time.Hour
	webhookEventKind  = "webhook.event"
	webhookDeliveryKd = "webhook.delivery"
)

// EventTypes lists the types a subscription may name.
var EventTypes = []string{EventProcessed, PointsEarned, PointsSpent, PointsExpired, TierChanged, RedemptionStatus, ClaimStatus,
	ConsentRecorded, MemberRegistered, GoalProgress, GoalAchieved, MessageRequested, WebhookTest}

// Webhook is a tenant's subscription: events of its types are POSTed to
// its URL, signed with its secret (and, for an overlap after a rotation,
// also with the previous one).
type Webhook struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"-"`
	URL         string     `json:"url"`
	Types       []string   `json:"types"`
	Description string     `json:"description"`
	Disabled    bool       `json:"disabled"`
	BatchSize   int        `json:"batch_size"`
	Secret      string     `json:"-"`
	PrevSecret  string     `json:"-"`
	PrevUntil   time.Time  `json:"-"`
	DisabledAt  *time.Time `json:"disabled_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Wants reports whether the webhook subscribes to an event type.
func (w Webhook) Wants(typ string) bool {
	return w.DisabledAt == nil && (slices.Contains(w.Types, AllTypes) || slices.Contains(w.Types, typ) || typ == WebhookTest)
}

// Secrets are the secrets that sign now: the current one, and the
// previous one during its overlap.
func (w Webhook) Secrets(now time.Time) []string {
	if w.PrevSecret != "" && now.Before(w.PrevUntil) {
		return []string{w.Secret, w.PrevSecret}
	}
	return []string{w.Secret}
}

// WebhookInput creates or changes a subscription (nil: unchanged).
type WebhookInput struct {
	URL         *string   `json:"url,omitempty"`
	Types       *[]string `json:"types,omitempty"`
	Description *string   `json:"description,omitempty"`
	Disabled    *bool     `json:"disabled,omitempty"`
	BatchSize   *int      `json:"batch_size,omitempty" minimum:"1" maximum:"100" doc:"Events per request: 1 (the default) POSTs each event alone; more POSTs up to that many due together as {\"events\": [...]}"`
}

// apply validates the input onto w; urlErr is the verdict of checking
// its URL (Service.checkFirst).
func (in WebhookInput) apply(w *Webhook, urlErr error) error {
	var f errs.Fields
	if in.URL != nil {
		w.URL = strings.TrimSpace(*in.URL)
		if urlErr != nil {
			f.Add("url", "bad_url", "%s", urlErr.Error())
		}
	}
	if in.Types != nil {
		w.Types = nil
		for _, t := range *in.Types {
			if t != AllTypes && !slices.Contains(EventTypes, t) {
				f.Add("types", "unknown_type", "unknown event type %q; choose among %s or *", t, strings.Join(EventTypes, ", "))
			} else if !slices.Contains(w.Types, t) {
				w.Types = append(w.Types, t)
			}
		}
	}
	if len(w.Types) == 0 {
		f.Add("types", "required", "name at least one event type (or * for all)")
	}
	if in.Description != nil {
		if w.Description = strings.TrimSpace(*in.Description); len(w.Description) > 500 {
			f.Add("description", "too_long", "at most 500 characters")
		}
	}
	if in.Disabled != nil {
		w.Disabled = *in.Disabled
	}
	if in.BatchSize != nil {
		if w.BatchSize = *in.BatchSize; w.BatchSize < 1 || w.BatchSize > MaxBatch {
			f.Add("batch_size", "out_of_range", "between 1 (one event per request) and %d", MaxBatch)
		}
	}
	w.BatchSize = max(w.BatchSize, 1)
	return f.Err()
}

// Attempt is one delivery attempt of a webhook, as the receiver answered.
type Attempt struct {
	ID         string    `json:"id"`
	WebhookID  string    `json:"webhook_id"`
	MessageID  string    `json:"message_id"`
	EventType  string    `json:"event_type"`
	Attempt    int       `json:"attempt"`
	StatusCode int       `json:"status_code" doc:"The receiver's HTTP status; 0 when none came (refused, timed out)"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
	At         time.Time `json:"at"`
}

// WebhookTx is the webhooks' storage.
type WebhookTx interface {
	InsertWebhook(ctx context.Context, w Webhook) error
	UpdateWebhook(ctx context.Context, w Webhook) error
	DeleteWebhook(ctx context.Context, tenantID, id string) (bool, error)
	GetWebhook(ctx context.Context, tenantID, id string) (Webhook, error)
	// ListWebhooks reads all of a tenant's webhooks (at most maxWebhooks).
	ListWebhooks(ctx context.Context, tenantID string) ([]Webhook, error)
	HasWebhooks(ctx context.Context, tenantID string) (bool, error)
	InsertAttempt(ctx context.Context, tenantID string, a Attempt) error
	InsertAttempts(ctx context.Context, tenantID string, as []Attempt) error
	ListAttempts(ctx context.Context, tenantID, webhookID string, r page.Request) ([]Attempt, error)
}
