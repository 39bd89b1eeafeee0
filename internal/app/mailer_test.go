package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

func TestSMTPURLWiresTheMailer(t *testing.T) {
	srv := mailtest.Start(t)
	cfg := config.Config{DataDir: t.TempDir(), DBConns: 2, SMTPURL: "smtp://" + srv.Addr() + "?from=noreply@example.com"}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler), clock.System{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Mailer.Send(context.Background(), tenant.Mail{To: "ann@example.com", Subject: "Hello", Text: "Hi"}); err != nil {
		t.Fatal(err)
	}
	m, err := srv.WaitFor("ann@example.com", 2*time.Second)
	if err != nil || m.Subject != "Hello" || m.Text != "Hi" {
		t.Fatalf("%v %+v", err, m)
	}
	if _, ok := a.Mailer.(app.SMTPMailer); !ok {
		t.Fatalf("mailer is %T", a.Mailer)
	}
}

func TestBadSMTPURLIsRefused(t *testing.T) {
	cfg := config.Config{DataDir: t.TempDir(), DBConns: 2, SMTPURL: "smtp://host:25"}
	if err := cfg.Check(); err == nil {
		t.Fatal("an SMTP URL without a sender was accepted")
	}
}
