package notify

import (
	"context"
	"net/http"
	"sync"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/push"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/platform/sms"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Tx is what messaging needs from storage.
type Tx interface {
	OutboxTx
	WebhookTx
	MessagingTx
	CampaignTx
	TrackTx
	ReachTx
	SurveyTx
	DeviceTx
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

	// The channels: e-mail, SMS and push senders (nil: the channel is
	// off); the inbox needs none.
	Mail MailSender
	SMS  sms.Sender
	Push push.Sender
	// PublicURL is where people reach the server, for unsubscribe links.
	PublicURL string
	// Facts, if set, gives the variables that need other services
	// (balance, tier, expiring points, goal progress) for a person.
	Facts Facts

	cache    hookCache
	attempts attemptLog
	linkKeys sync.Map // tenant id → link-signing secret (never changes)

	// urlCheck stands in for safedial.CheckURL in tests.
	urlCheck func(ctx context.Context, u string, allowPrivate bool) error
}

// Facts gives a person's figures for templates.
type Facts interface {
	Vars(ctx context.Context, tenantID string, m party.Member) (map[string]string, error)
}

// checkURL checks a webhook's URL; resolving its host may take seconds.
func (s *Service) checkURL(ctx context.Context, u string, allowPrivate bool) error {
	if s.urlCheck != nil {
		return s.urlCheck(ctx, u, allowPrivate)
	}
	return safedial.CheckURL(ctx, u, allowPrivate)
}

// Handlers are the relay's handlers of the kinds this service delivers.
func (s *Service) Handlers() map[string]Handler {
	return map[string]Handler{
		webhookEventKind:  HandlerFunc(s.fanOut),
		webhookDeliveryKd: webhookHandler{s},
		ProgramMessage:    HandlerFunc(s.fanOutMessage),
		OwnerMessage:      HandlerFunc(s.fanOutMessage),
		PersonMessage:     HandlerFunc(s.deliverToPerson),
	}
}
