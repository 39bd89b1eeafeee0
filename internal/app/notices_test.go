package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The daily job tells an organization's people, once, that its points
// expire soon (the points_expiring template, from the ledger's list).
func TestExpiryNoticesOncePerExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
		smtp := mailtest.Start(t)
		a.Notify.Mail = &mail.SMTP{Addr: smtp.Addr(), From: "noreply@example.com"}
		p, pt, owner := dealerWithPoints(t, a, "one", 0)
		_, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "e1", Owner: owner, PointTypeID: pt.ID, Amount: 40})
		must(t, err)
		_, err = a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: owner.ID, Name: "Ann", Email: "ann@example.com", Roles: []party.Role{party.RoleOwner}})
		must(t, err)
		_, err = a.Notify.CreateTemplate(ctx, p, notify.Template{Code: notify.TemplatePointsExpiring, Channel: "email", Lang: "en",
			Subject: "Points expire", Body: "{{expiring.points}} points expire on {{expiring.date}}."})
		must(t, err)
		drain := func() {
			for {
				n, err := a.Relay.RunOnce(ctx)
				must(t, err)
				if n == 0 {
					return
				}
			}
		}
		notices := func() {
			_, err := a.Notify.QueueExpiryNotices(ctx, a.Ledger, p.TenantID, expiryNoticeDays, clk.Now())
			must(t, err)
			drain()
		}
		notices() // 30 days away: no notice
		if len(smtp.Messages()) != 0 {
			t.Fatal("a notice a month ahead")
		}
		for range 2 { // 20 days later, the job runs twice (two replicas, or the next day)
			clk.Advance(20 * 24 * time.Hour)
			notices()
			clk.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		}
		got := smtp.To("ann@example.com")
		if len(got) != 1 || !strings.Contains(got[0].Text, "40 points expire on 2027-03-31.") {
			t.Fatalf("%d notices: %+v", len(got), got)
		}
	})
}
