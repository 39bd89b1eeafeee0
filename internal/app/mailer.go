package app

import (
	"context"
	"log/slog"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// SMTPMailer adapts the product's mailer to the services' Mailer
// interface.
type SMTPMailer struct{ SMTP *mail.SMTP }

// Send sends one e-mail.
func (m SMTPMailer) Send(ctx context.Context, msg tenant.Mail) error {
	return m.SMTP.Send(ctx, mail.Message{To: msg.To, Subject: msg.Subject, Text: msg.Text})
}

// newMailer is SMTP when the configuration names a server (Check has
// validated its URL), else a LogMailer.
func newMailer(cfg config.Config, log *slog.Logger) tenant.Mailer {
	if cfg.SMTPURL != "" {
		if s, err := mail.ParseURL(cfg.SMTPURL); err == nil {
			return SMTPMailer{SMTP: s}
		}
	}
	return &LogMailer{Log: log}
}
