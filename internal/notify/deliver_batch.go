package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// BatchType is the Loyal-Event-Type of a request that carries a batch.
const BatchType = "batch"

// Batch is the body of a batching webhook's request: events due together,
// each as it would have been POSTed alone (its own id, type and data).
type Batch struct {
	Events []Envelope `json:"events"`
}

// webhookHandler delivers webhook.delivery rows: one event per request,
// or, to a webhook whose batch size is above one, up to that many per
// request (it is a Grouper).
type webhookHandler struct{ s *Service }

func (h webhookHandler) Deliver(ctx context.Context, it Item) ([]Row, error) {
	return h.s.deliverWebhook(ctx, it)
}

// Group gathers the deliveries of a batching webhook; anything else (one
// event per request, a webhook gone, a row it cannot read) goes alone.
func (h webhookHandler) Group(ctx context.Context, it Item) (string, int) {
	_, w, err := h.s.target(ctx, it)
	if err != nil || w == nil || w.BatchSize <= 1 {
		return "", 0
	}
	return it.TenantID + "/" + w.ID, w.BatchSize
}

// DeliverGroup POSTs deliveries of one webhook as one signed request and
// logs it as one attempt; they succeed or fail together.
func (h webhookHandler) DeliverGroup(ctx context.Context, items []Item) error {
	s := h.s
	var w *Webhook
	b, attempt := Batch{Events: make([]Envelope, 0, len(items))}, 0
	for _, it := range items {
		d, hook, err := s.target(ctx, it)
		if err != nil || hook == nil {
			return err // a webhook deleted or disabled since drops them
		}
		w, attempt = hook, max(attempt, it.Attempts+1)
		b.Events = append(b.Events, d.Event)
	}
	body, err := json.Marshal(b)
	if err != nil {
		return Permanent(err)
	}
	a, err := s.postBody(ctx, *w, batchID(items), BatchType, body, attempt)
	if a.ID != "" {
		s.attempts.add(items[0].TenantID, a)
	}
	return err
}

// batchID names a batch by what it carries: the same deliveries sent again
// together carry the same Loyal-Message-Id. (Receivers should de-duplicate
// by each event's id: a retry may gather the events differently.)
func batchID(items []Item) string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return "batch_" + hex.EncodeToString(sum[:12])
}
