package app

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/platform/sms"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/web/portal"
)

// portal is the members' portal under /p/ (and the referral links /r/).
func (a *App) portal() http.Handler {
	a.portalOnce.Do(func() {
		a.portalHandler = portal.New(a.Kit, portal.Services{
			Tenants: a.Tenants, Party: a.Party, Programs: a.Programs, Ledger: a.Ledger, Events: a.Events, Claims: a.Claims,
			Rewards: a.Rewards, Goals: a.Goals, Referrals: a.Referrals, Auth: a.MemberAuth, Signup: a.Signup, Cards: a.Cards,
			Messages: a.Notify,
			Surveys:  a.Surveys,
			Limiter:  throttle.New(a.Clock),
		})
	})
	return a.portalHandler
}

// LogTexter is the SMS sender until a provider is configured: it writes
// each text to the log (the demo shows sign-in codes this way) and keeps
// the last ones for whoever asks.
type LogTexter struct {
	Log  *slog.Logger
	mu   sync.Mutex
	sent []Text
}

// Text is one text message.
type Text struct{ To, Body string }

// Text logs a message.
func (t *LogTexter) Text(ctx context.Context, to, body string) error {
	t.Log.InfoContext(ctx, "sms (not sent: no SMS provider configured)", "to", to, "text", body)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent = append(t.sent, Text{To: to, Body: body})
	if len(t.sent) > 100 {
		t.sent = t.sent[1:]
	}
	return nil
}

// Sent returns the texts sent so far (the last 100).
func (t *LogTexter) Sent() []Text {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Text(nil), t.sent...)
}

// newTexter is the SMS gateway of --sms-url when one is configured (the
// same one messaging uses), else a LogTexter.
func newTexter(cfg config.Config, log *slog.Logger) memberauth.Texter {
	if cfg.SMSURL != "" {
		return SMSTexter{Sender: sms.HTTP{URL: cfg.SMSURL, Token: cfg.SMSToken}}
	}
	return &LogTexter{Log: log}
}

// SMSTexter adapts an SMS provider (platform/sms) to the portal's Texter.
type SMSTexter struct{ Sender sms.Sender }

// Text sends one text message.
func (t SMSTexter) Text(ctx context.Context, to, body string) error {
	return t.Sender.Send(ctx, sms.Message{To: to, Text: body})
}
