package app

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/admin"
	"github.com/loyal-b2b/loyal/internal/web/messages"
	"github.com/loyal-b2b/loyal/internal/web/portal"
)

// Server returns the whole server's handler: the operator console under
// /admin, its assets, a landing page at /, and the API for everything
// else.
func (a *App) Server(version string) http.Handler {
	a.Kit.Version = version
	root := http.NewServeMux()
	root.Handle(admin.Root+"/", a.console())
	root.Handle(admin.Root, a.console())
	root.Handle(portal.Root+"/", a.portal())
	root.Handle(portal.Root, a.portal())
	root.Handle("GET /r/{code}", a.portal())
	root.Handle("/assets/", web.Assets())
	root.Handle(messages.Root+"/", messages.New(a.Kit, a.Notify, a.Surveys))
	root.Handle("/p/wallet/", a.walletHandler())
	root.Handle("/wallet/", a.walletHandler())
	root.Handle("GET /{$}", a.Kit.Handle(web.Landing(a.Kit)))
	root.Handle("/", a.Handler(version))
	return root
}

func (a *App) console() http.Handler {
	a.consoleOnce.Do(func() {
		a.consoleHandler = admin.New(a.Kit, admin.Services{
			Tenants: a.Tenants, Party: a.Party, Programs: a.Programs, Ledger: a.Ledger, Events: a.Events, Claims: a.Claims,
			Rewards: a.Rewards, Audit: a.Audit, Analytics: a.Analytics, Segments: a.Segments, Goals: a.Goals,
			Imports:     a.Imports,
			Simulations: a.Simulations,
			Campaigns:   a.Promo,
			Cards:       a.Cards, Wallet: a.Wallet,
			Memberships: a.Memberships,
			Partners:    a.Partners,
			Messages:    a.Notify,
			Surveys:     a.Surveys,
		})
	})
	return a.consoleHandler
}

// SetPublicURL sets the address in links sent by e-mail, when the
// configuration leaves it to the listening address.
func (a *App) SetPublicURL(u string) {
	if a.Config.PublicURL == "" {
		a.Kit.PublicURL = strings.TrimRight(u, "/")
		a.Notify.PublicURL = a.Kit.PublicURL
	}
}

// LogMailer is the mailer until an SMTP one is configured: it writes each
// message to the log (the demo's way of showing reset and invitation
// links) and keeps the last ones for whoever asks.
type LogMailer struct {
	Log  *slog.Logger
	mu   sync.Mutex
	sent []tenant.Mail
}

// Send logs a message.
func (m *LogMailer) Send(ctx context.Context, msg tenant.Mail) error {
	m.Log.InfoContext(ctx, "mail (not sent: no SMTP configured)", "to", msg.To, "subject", msg.Subject, "text", msg.Text)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	if len(m.sent) > 100 {
		m.sent = m.sent[1:]
	}
	return nil
}

// Sent returns the messages sent so far (the last 100).
func (m *LogMailer) Sent() []tenant.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]tenant.Mail(nil), m.sent...)
}
