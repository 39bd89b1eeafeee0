package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
)

// receiver is an integrator's endpoint: it answers with the status set
// and keeps the message ids of what it got.
type receiver struct {
	srv    *httptest.Server
	status atomic.Int32
	mu     sync.Mutex
	ids    []string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.status.Store(http.StatusOK)
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		rc.ids = append(rc.ids, r.Header.Get(notify.HeaderMessageID))
		rc.mu.Unlock()
		w.WriteHeader(int(rc.status.Load()))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) got() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]string(nil), rc.ids...)
}

// allowPrivate lets webhooks reach the test's loopback receivers, as
// --webhooks-allow-private does on a closed network.
func (c *console) allowPrivate() {
	c.app.Notify.AllowPrivate, c.app.Notify.HTTP = true, safedial.Client(5*time.Second, true)
}

func (c *console) hooks() []notify.Webhook {
	ws, err := c.app.Notify.Webhooks(c.t.Context(), c.sys)
	must(c.t, err)
	return ws
}

// tokenFor is the submission token of the form posting to action.
func tokenFor(t *testing.T, body, action string) string {
	t.Helper()
	m := regexp.MustCompile(`action="` + regexp.QuoteMeta(action) + `"[^>]*>\s*<input type="hidden" name="_token" value="([a-z0-9]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form to %s in the page", action)
	}
	return m[1]
}

// An integrator subscribes a URL: a loopback address is refused next to
// the field and nothing is written; the secret is shown once, a double
// submit makes one webhook; a test shows the receiver's answer; the
// settings, the secret's rotation and the deletion do what they say.
func TestWebhookPages(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		rc := newReceiver(t)
		b := c.browser().signIn("integrator")
		if home := b.get("/admin/").body; !strings.Contains(home, `href="/admin/webhooks"`) || !strings.Contains(home, `href="/admin/messages/dead"`) {
			t.Error("the integrator's menu has no webhooks or failed messages")
		}
		form := url.Values{"_token": {tokenOf(t, b.get("/admin/webhooks").body)}, "url": {rc.srv.URL + "/hook"},
			"types": {notify.PointsEarned, notify.TierChanged}, "description": {"ERP sync"}}
		if got := b.post("/admin/webhooks", form); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-url"`) ||
			!strings.Contains(got.body, "loopback, private or link-local") {
			t.Errorf("a loopback URL: %d, want the service's message next to the field", got.status)
		}
		c.allowPrivate()
		noTypes := url.Values{"_token": form["_token"], "url": form["url"]}
		if got := b.post("/admin/webhooks", noTypes); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-types"`) {
			t.Errorf("no event type: %d, want the error next to the types", got.status)
		}
		for _, bad := range []string{"abc", "0", "101"} {
			batch := url.Values{"_token": form["_token"], "url": form["url"], "types": form["types"], "batch_size": {bad}}
			if got := b.post("/admin/webhooks", batch); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-batch_size"`) {
				t.Errorf("events per request %q: %d, want the error next to the field", bad, got.status)
			}
		}
		if n := len(c.hooks()); n != 0 {
			t.Fatalf("refused forms wrote %d webhooks", n)
		}
		form.Set("batch_size", "20")
		created := b.post("/admin/webhooks", form)
		hs := c.hooks()
		if created.status != http.StatusCreated || len(hs) != 1 || !strings.Contains(created.body, hs[0].Secret) || len(hs[0].Types) != 2 ||
			hs[0].BatchSize != 20 {
			t.Fatalf("create: %d, %+v", created.status, hs)
		}
		h := hs[0]
		again := b.post("/admin/webhooks", form)
		if again.status != http.StatusSeeOther || len(c.hooks()) != 1 {
			t.Fatalf("a double submit: %d, %d webhooks", again.status, len(c.hooks()))
		}
		detail := "/admin/webhooks/" + h.ID
		for _, p := range []string{again.where, "/admin/webhooks", detail} {
			if body := b.get(p).body; strings.Contains(body, h.Secret) {
				t.Errorf("%s shows the secret again", p)
			}
		}
		testSend(t, c, b, rc, detail)
		editRotateDelete(t, c, b, h, detail)
	})
}

// testSend sends a test and finds its answer and its line in the log.
func testSend(t *testing.T, c *console, b *browser, rc *receiver, detail string) {
	t.Helper()
	sent := b.post(detail+"/test", url.Values{})
	page := b.get(sent.where).body
	if sent.status != http.StatusSeeOther || !strings.Contains(page, `id="test-result"`) || !strings.Contains(page, "the receiver answered 200") {
		t.Fatalf("test: %d %s", sent.status, sent.where)
	}
	if got := rc.got(); len(got) != 1 || strings.Count(attemptLog(page), "<code>webhook.test</code>") != 1 {
		t.Fatalf("the receiver got %v; the log shows no webhook.test", got)
	}
	if reload := b.get(sent.where); strings.Count(attemptLog(reload.body), "<code>webhook.test</code>") != 1 || len(rc.got()) != 1 {
		t.Error("reloading the page sent another test")
	}
}

// attemptLog is the delivery log's table of a webhook's page.
func attemptLog(body string) string {
	_, log, _ := strings.Cut(body, `<table id="attempts">`)
	log, _, _ = strings.Cut(log, "</table>")
	return log
}

func editRotateDelete(t *testing.T, c *console, b *browser, h notify.Webhook, detail string) {
	t.Helper()
	if got := b.post(detail, url.Values{"url": {h.URL}, "enabled": {"on"}}); got.status != http.StatusUnprocessableEntity ||
		!strings.Contains(got.body, `id="e-types"`) || len(c.hooks()[0].Types) != 2 {
		t.Errorf("an edit without types: %d, want the error next to them and the webhook unchanged", got.status)
	}
	edit := url.Values{"url": {h.URL}, "types": {"*"}, "description": {"everything"}} // "enabled" unticked
	if got := b.post(detail, edit); got.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", got.status)
	}
	if w := c.hooks()[0]; w.DisabledAt == nil || len(w.Types) != 1 || w.Types[0] != "*" || w.Description != "everything" {
		t.Errorf("after the edit: %+v", w)
	}
	rot := url.Values{"_token": {tokenFor(t, b.get(detail).body, detail+"/rotate")}, "overlap": {"3600"}}
	rotated := b.post(detail+"/rotate", rot)
	w := c.hooks()[0]
	if rotated.status != http.StatusOK || w.Secret == h.Secret || !strings.Contains(rotated.body, w.Secret) ||
		!w.PrevUntil.Equal(c.clock.Now().Add(time.Hour)) {
		t.Fatalf("rotate: %d, until %v", rotated.status, w.PrevUntil)
	}
	if again := b.post(detail+"/rotate", rot); again.status != http.StatusSeeOther || c.hooks()[0].Secret != w.Secret {
		t.Errorf("a repeated rotation: %d, the secret changed again", again.status)
	}
	if got := b.post(detail+"/delete", url.Values{}); got.status != http.StatusSeeOther || len(c.hooks()) != 0 {
		t.Errorf("delete: %d, %d left", got.status, len(c.hooks()))
	}
}

// Roles without the webhooks right see no menu entry and are refused
// by the service, the forms too: nothing is written.
func TestWebhookPagesRefuseOtherRoles(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		for _, role := range []string{"read_only", "program_manager", "support"} {
			b := c.browser().signIn(role)
			if home := b.get("/admin/").body; strings.Contains(home, `href="/admin/webhooks"`) || strings.Contains(home, `href="/admin/messages/dead"`) {
				t.Errorf("%s sees the webhook entries", role)
			}
			for _, p := range []string{"/admin/webhooks", "/admin/messages/dead"} {
				if got := b.get(p); got.status != http.StatusForbidden {
					t.Errorf("%s GET %s: %d", role, p, got.status)
				}
			}
			if got := b.post("/admin/webhooks", url.Values{"url": {"https://203.0.113.10/hook"}, "types": {"*"}}); got.status != http.StatusForbidden {
				t.Errorf("%s subscribes: %d", role, got.status)
			}
			if got := b.post("/admin/messages/dead/replay", url.Values{"id": {"x"}}); got.status != http.StatusForbidden {
				t.Errorf("%s replays: %d", role, got.status)
			}
		}
		if n := len(c.hooks()); n != 0 {
			t.Fatalf("refused roles wrote %d webhooks", n)
		}
	})
}
