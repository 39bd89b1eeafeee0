package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWebhookJourney: an integrator subscribes a receiver to two
// event types from the Messages menu, keeps the secret shown once, sends
// a test and finds it in the delivery log; on a phone, replays a delivery
// that failed while the receiver was down.
func TestBrowserWebhookJourney(t *testing.T) {
	c := browserConsole(t)
	c.allowPrivate()
	rc := newReceiver(t)
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("integrator", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Click(chromedp.CSS(`header .menu details:has(a[href="/admin/webhooks"]) > summary`)),
		chromedp.Click(chromedp.CSS(`header .menu a[href="/admin/webhooks"]`)), chromedp.WaitVisible(chromedp.CSS("#f-url")),
		chromedp.SendKeys(chromedp.CSS("#f-url"), rc.srv.URL+"/loyal"),
		chromedp.Click(chromedp.CSS(`input[name=types][value="*"]`)),
		chromedp.Click(chromedp.CSS(`input[name=types][value="points.earned"]`)),
		chromedp.Click(chromedp.CSS(`input[name=types][value="tier.changed"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Dealer CRM"),
		chromedp.Submit(chromedp.CSS("#f-url")), chromedp.WaitVisible(chromedp.CSS("#secret")))
	hooks := c.hooks()
	if len(hooks) != 1 || text(t, ctx, "#new-secret") != hooks[0].Secret || strings.Join(hooks[0].Types, ",") != "points.earned,tier.changed" {
		t.Fatalf("subscribed %+v; the page shows %q", hooks, text(t, ctx, "#new-secret"))
	}
	shot(t, ctx, "webhook-created")
	do(t, ctx, chromedp.Click(chromedp.CSS("#open-new")), chromedp.WaitVisible(chromedp.CSS("#attempts")),
		chromedp.Click(chromedp.CSS(`form[action$="/test"] button`)), chromedp.WaitVisible(chromedp.CSS("#test-result")))
	if got := text(t, ctx, "#test-result"); !strings.Contains(got, "answered 200") {
		t.Errorf("the test says %q", got)
	}
	if got := text(t, ctx, "#attempts tbody"); !strings.Contains(got, "webhook.test") || !strings.Contains(got, "200") || len(rc.got()) != 1 {
		t.Errorf("the log reads %q; the receiver got %d requests", got, len(rc.got()))
	}
	shot(t, ctx, "webhook-tested")
	phoneTab := tab(t, phone)
	do(t, phoneTab, c.signInSteps("integrator", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/webhooks/"+hooks[0].ID), chromedp.WaitVisible(chromedp.CSS("#attempts")))
	shot(t, phoneTab, "webhook-phone")
	do(t, phoneTab, chromedp.Navigate(c.srv.URL+"/admin/webhooks"), chromedp.WaitVisible(chromedp.CSS("#f-url")))
	shot(t, phoneTab, "webhooks-phone")
	// The receiver goes down: the next delivery lands in failed messages,
	// and a replay there puts it back in the queue.
	rc.status.Store(http.StatusBadGateway)
	c.app.Relay.MaxAttempts = 1
	c.invoice("INV-2", c.tomOrg, 10, 5000)
	c.drain()
	do(t, phoneTab, chromedp.Navigate(c.srv.URL+"/admin/messages/dead"), chromedp.WaitVisible(chromedp.CSS("#dead tbody form button")))
	shot(t, phoneTab, "failed-messages-phone")
	do(t, phoneTab, chromedp.Click(chromedp.CSS("#dead tbody form button")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := text(t, phoneTab, "p.flash"); !strings.Contains(got, "back in the queue") || len(c.deadLetters()) != 0 {
		t.Errorf("after the replay: %q, %d dead", got, len(c.deadLetters()))
	}
}
