package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// Envelope is the body of every webhook request.
type Envelope struct {
	ID        string          `json:"id" doc:"The event's id; the same for every webhook it goes to"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// eventPayload is a webhook.event row: an event to fan out.
type eventPayload struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// deliveryPayload is a webhook.delivery row: one event to one webhook.
type deliveryPayload struct {
	WebhookID string   `json:"webhook_id"`
	Event     Envelope `json:"event"`
}

// fanOut turns an event queued before fan-out moved to publishing into
// one delivery per subscribed webhook. Delivery ids derive from the
// event and webhook, so a repeated fan-out queues nothing twice.
func (s *Service) fanOut(ctx context.Context, it Item) ([]Row, error) {
	var ev eventPayload
	if err := json.Unmarshal(it.Payload, &ev); err != nil {
		return nil, Permanent(fmt.Errorf("malformed event: %w", err))
	}
	hooks, err := s.webhooks(ctx, it.TenantID)
	if err != nil {
		return nil, err
	}
	return deliveries(hooks, Envelope{ID: it.ID, Type: ev.Type, CreatedAt: it.CreatedAt, Data: ev.Data}), nil
}

// deliverWebhook POSTs one delivery and logs the attempt. A webhook
// deleted or disabled since drops its deliveries.
func (s *Service) deliverWebhook(ctx context.Context, it Item) ([]Row, error) {
	d, w, err := s.target(ctx, it)
	if err != nil || w == nil {
		return nil, err
	}
	a, err := s.post(ctx, *w, it.ID, d.Event, it.Attempts+1)
	if a.ID != "" {
		s.attempts.add(it.TenantID, a) // written with the relay's batch
	}
	return nil, err
}

// target reads a delivery and finds its webhook (nil: deleted or
// disabled since it was queued).
func (s *Service) target(ctx context.Context, it Item) (deliveryPayload, *Webhook, error) {
	var d deliveryPayload
	if err := json.Unmarshal(it.Payload, &d); err != nil {
		return d, nil, Permanent(fmt.Errorf("malformed delivery: %w", err))
	}
	hooks, err := s.webhooks(ctx, it.TenantID)
	if err != nil {
		return d, nil, err
	}
	i := slices.IndexFunc(hooks, func(w Webhook) bool { return w.ID == d.WebhookID })
	if i < 0 || hooks[i].DisabledAt != nil {
		return d, nil, nil
	}
	return d, &hooks[i], nil
}

// post sends one event as a signed request and describes how it went.
func (s *Service) post(ctx context.Context, w Webhook, msgID string, ev Envelope, attempt int) (Attempt, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return Attempt{}, Permanent(err)
	}
	return s.postBody(ctx, w, msgID, ev.Type, body, attempt)
}

// postBody sends one signed request: an event, or a batch of them.
func (s *Service) postBody(ctx context.Context, w Webhook, msgID, typ string, body []byte, attempt int) (Attempt, error) {
	now := s.Clock.Now()
	a := Attempt{ID: ids.New(), WebhookID: w.ID, MessageID: msgID, EventType: typ, Attempt: attempt, At: now}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "bad URL"
		return a, Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Loyal-Webhooks/1")
	req.Header.Set(HeaderMessageID, msgID)
	req.Header.Set(HeaderEventType, typ)
	req.Header.Set(HeaderSignature, SignatureHeader(w.Secrets(now), now.Unix(), body))
	start := time.Now()
	resp, err := s.HTTP.Do(req)
	a.DurationMS = time.Since(start).Milliseconds()
	if err != nil {
		a.Error = clip(err.Error(), 300)
		return a, fmt.Errorf("webhook %s: %w", w.ID, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
	a.StatusCode = resp.StatusCode
	if resp.StatusCode/100 != 2 {
		return a, fmt.Errorf("webhook %s: the receiver answered %d", w.ID, resp.StatusCode)
	}
	return a, nil
}

func (s *Service) logAttempt(ctx context.Context, tenantID string, a Attempt) error {
	if a.ID == "" {
		return nil
	}
	return s.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error { return tx.InsertAttempt(ctx, tenantID, a) })
}

// TestWebhook sends a webhook.test event to a webhook now and returns
// the attempt (its status code, or why none came).
func (s *Service) TestWebhook(ctx context.Context, p access.Principal, id string) (Attempt, error) {
	w, err := s.Webhook(ctx, p, id)
	if err != nil {
		return Attempt{}, err
	}
	data, _ := json.Marshal(map[string]string{"webhook_id": w.ID, "note": "a test event sent from the API"})
	ev := Envelope{ID: ids.New(), Type: WebhookTest, CreatedAt: s.Clock.Now(), Data: data}
	a, _ := s.post(ctx, w, ev.ID, ev, 1)
	return a, s.logAttempt(ctx, p.TenantID, a)
}
