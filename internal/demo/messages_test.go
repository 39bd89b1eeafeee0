package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
)

// The demo's rule messages leave through the relay; without an SMTP
// server they land in the log mailer, which the demo points newcomers to.
func TestDemoMessagesReachTheMailLog(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		for {
			n, err := a.Relay.RunOnce(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		found := false
		for _, m := range a.Mailer.(*app.LogMailer).Sent() {
			found = found || strings.HasPrefix(m.Subject, "Thank you for a big order") || strings.HasPrefix(m.Subject, "Спасибо за крупный заказ")
		}
		if !found {
			t.Fatalf("no demo message in the mail log: %d mails", len(a.Mailer.(*app.LogMailer).Sent()))
		}
	})
}
