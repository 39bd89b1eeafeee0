package notify

import (
	"context"
	"net/http"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Tx is what messaging needs from storage.
type Tx interface {
	OutboxTx
	WebhookTx
	audit.Writer
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages webhooks and delivers messages.
type Service struct {
	Store Store
	Clock clock.Clock
	// HTTP posts webhooks; it should refuse private addresses at dial
	// time (safedial.Client) unless AllowPrivate.
	HTTP         *http.Client
	AllowPrivate bool
	// Hooked remembers whether a tenant has webhooks, so that tenants
	// without pay nothing per event.
	Hooked *tenantflag.Flags
}

func (s *Service) checkURL(ctx context.Context, u string, allowPrivate bool) error {
	return safedial.CheckURL(ctx, u, allowPrivate)
}

// Handlers are the relay's handlers of the kinds this service delivers.
func (s *Service) Handlers() map[string]Handler {
	return map[string]Handler{
		webhookEventKind:  HandlerFunc(s.fanOut),
		webhookDeliveryKd: HandlerFunc(s.deliverWebhook),
	}
}
