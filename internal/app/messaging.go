package app

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/push"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/platform/sms"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// newNotify builds messaging over the configured channels.
func (a *App) newNotify(publicURL string) *notify.Service {
	cfg := a.Config
	svc := &notify.Service{Store: store.Bind[notify.Tx](a.DB), Clock: a.Clock, HTTP: safedial.Client(10*time.Second, cfg.WebhooksAllowPrivate),
		AllowPrivate: cfg.WebhooksAllowPrivate, Hooked: &tenantflag.Flags{}, PublicURL: publicURL, Mail: mailSender(a.Mailer)}
	if cfg.SMSURL != "" {
		svc.SMS = sms.HTTP{URL: cfg.SMSURL, Token: cfg.SMSToken}
	}
	if cfg.PushURL != "" {
		svc.Push = push.HTTP{URL: cfg.PushURL, Token: cfg.PushToken}
	}
	return svc
}

// mailSender gives messaging the same mailer as the rest of the product.
func mailSender(m tenant.Mailer) notify.MailSender {
	if s, ok := m.(SMTPMailer); ok {
		return s.SMTP
	}
	return logMail{m}
}

// logMail sends messaging's e-mail through a tenant.Mailer (the LogMailer
// when no SMTP server is configured).
type logMail struct{ m tenant.Mailer }

func (l logMail) Send(ctx context.Context, m mail.Message) error {
	if _, err := mail.Compose("noreply@loyal.invalid", m, time.Now()); err != nil {
		return err // refused as SMTP would refuse it
	}
	return l.m.Send(ctx, tenant.Mail{To: m.To, Subject: m.Subject, Text: m.Text})
}

// newRelay builds the outbox relay with the messaging handlers and its
// metrics.
func (a *App) newRelay() *notify.Relay {
	done := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "loyal_outbox_messages_total", Help: "Outbox messages handled by this server's relay, by kind and result (delivered, failed, dead).",
	}, []string{"kind", "result"})
	r := &notify.Relay{Store: store.Bind[notify.OutboxTx](a.DB), Clock: a.Clock, Handlers: a.Notify.Handlers(), Log: a.Log, Logs: a.Notify.TakeLogs,
		OnResult: func(kind string, ok, dead bool) {
			res := "failed"
			if ok {
				res = "delivered"
			} else if dead {
				res = "dead"
			}
			done.WithLabelValues(kind, res).Inc()
		}}
	stats := &outboxStats{db: a.DB}
	for _, c := range []prometheus.Collector{done,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loyal_outbox_queued", Help: "Outbox messages waiting for delivery (all tenants)."},
			func() float64 { return float64(stats.get().Queued) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loyal_outbox_dead", Help: "Outbox messages in dead-letter (all tenants)."},
			func() float64 { return float64(stats.get().Dead) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "loyal_outbox_oldest_age_seconds", Help: "Age of the oldest waiting outbox message; 0: none waits."},
			func() float64 { return stats.age(a.Clock.Now()) }),
	} {
		_ = a.Metrics.Registry.Register(c) // already registered: a second App on the same metrics
	}
	return r
}

// RunRelay delivers outbox messages until ctx ends, polling every poll
// when there is nothing to do.
func (a *App) RunRelay(ctx context.Context, poll time.Duration) {
	a.Relay.Run(ctx, poll)
}
