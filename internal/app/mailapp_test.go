package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/store"
)

// mailApp is the start of the tests of what reaches a mailbox: an app on
// db at a fixed time whose e-mail goes to an in-process SMTP server, a
// tenant "acme" and its dealer "North".
func mailApp(t *testing.T, db *store.DB) (*app.App, *mailtest.Server, access.Principal, party.Organization) {
	t.Helper()
	ctx := context.Background()
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clock.NewFake(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)), db, nil)
	smtp := mailtest.Start(t)
	a.Notify.Mail = &mail.SMTP{Addr: smtp.Addr(), From: "noreply@example.com"}
	tn, err := a.Tenants.CreateTenant(ctx, "acme", "Acme Building")
	if err != nil {
		t.Fatal(err)
	}
	p := access.System(tn.ID)
	org, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: "dealer", Name: "North"})
	if err != nil {
		t.Fatal(err)
	}
	return a, smtp, p, org
}
