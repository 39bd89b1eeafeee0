package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// receiver is a webhook endpoint that records requests and answers code.
type receiver struct {
	mu   sync.Mutex
	code int
	got  []*http.Request
	body [][]byte
	srv  *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{code: 200}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got, r.body = append(r.got, req), append(r.body, b)
		code := r.code
		r.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) set(code int) { r.mu.Lock(); r.code = code; r.mu.Unlock() }
func (r *receiver) count() int   { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

type fixture struct {
	db    *store.DB
	clk   *clock.Fake
	svc   *notify.Service
	relay *notify.Relay
	p     access.Principal
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))
	svc := &notify.Service{Store: store.Bind[notify.Tx](db), Clock: clk, HTTP: safedial.Client(5*time.Second, true), AllowPrivate: true, Hooked: &tenantflag.Flags{}}
	relay := &notify.Relay{Store: store.Bind[notify.OutboxTx](db), Clock: clk, Handlers: svc.Handlers(),
		Backoff: notify.Backoff{Base: time.Second, Max: 4 * time.Second}, MaxAttempts: 3, Logs: svc.TakeLogs}
	return &fixture{db: db, clk: clk, svc: svc, relay: relay, p: access.System("t1")}
}

func (f *fixture) publish(t *testing.T, typ string, data any) {
	t.Helper()
	err := f.db.Write(context.Background(), func(tx *store.Tx) error {
		return f.svc.Publish(context.Background(), tx, "t1", typ, data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestWebhookRetriedDeadLetteredReplayed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		rcv.set(503)
		w, secret, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL + "/hook"), Types: &[]string{notify.PointsEarned}})
		if err != nil || !strings.HasPrefix(secret, "whsec_") {
			t.Fatal(err, secret)
		}
		f.publish(t, notify.PointsEarned, map[string]int{"points": 120})
		f.publish(t, notify.TierChanged, map[string]string{"to": "gold"}) // not subscribed
		drain(t, f.relay)                                                 // fan-out, then the first attempt
		for i := 0; i < 2; i++ {
			drain(t, f.relay)
			if n := rcv.count(); n != i+1 {
				t.Fatalf("before the back-off ran out: %d requests, want %d", n, i+1)
			}
			f.clk.Advance(5 * time.Second)
		}
		drain(t, f.relay)
		if rcv.count() != 3 {
			t.Fatalf("%d attempts, want 3", rcv.count())
		}
		dead, err := f.svc.DeadLetters(context.Background(), f.p, page.Request{Limit: 10})
		if err != nil || len(dead.Items) != 1 {
			t.Fatalf("dead letters %+v %v", dead.Items, err)
		}
		log, _ := f.svc.Attempts(context.Background(), f.p, w.ID, page.Request{Limit: 10})
		if len(log.Items) != 3 || log.Items[0].StatusCode != 503 || log.Items[0].Attempt != 3 {
			t.Fatalf("delivery log %+v", log.Items)
		}
		rcv.set(200)
		if _, err := f.svc.Replay(context.Background(), f.p, dead.Items[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Replay(context.Background(), f.p, dead.Items[0].ID); !errs.Is(err, errs.Conflict) {
			t.Fatalf("a second replay: %v", err)
		}
		drain(t, f.relay)
		if rcv.count() != 4 {
			t.Fatalf("replay did not deliver: %d requests", rcv.count())
		}
		ids := map[string]bool{}
		for _, r := range rcv.got {
			ids[r.Header.Get(notify.HeaderMessageID)] = true
		}
		if len(ids) != 1 {
			t.Fatalf("retries carried different message ids: %v", ids)
		}
		var env notify.Envelope
		if err := json.Unmarshal(rcv.body[3], &env); err != nil || env.Type != notify.PointsEarned || string(env.Data) != `{"points":120}` {
			t.Fatalf("body %s", rcv.body[3])
		}
		if !notify.Verify(secret, rcv.got[3].Header.Get(notify.HeaderSignature), rcv.body[3], f.clk.Now(), 5*time.Minute) {
			t.Fatal("the signature does not verify")
		}
	})
}

func TestWebhookURLsToPrivateAddressesRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.svc.AllowPrivate = false
		for _, u := range []string{"http://127.0.0.1:9/h", "http://10.0.0.5/h", "http://169.254.169.254/latest/meta-data", "http://[::1]/h", "ftp://example.com"} {
			_, _, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(u), Types: &[]string{"*"}})
			if !errs.Is(err, errs.Invalid) {
				t.Errorf("%s: %v", u, err)
			}
		}
		if _, _, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr("https://8.8.8.8/h"), Types: &[]string{"nope"}}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown type accepted: %v", err)
		}
		if hooks, _ := f.svc.Webhooks(context.Background(), f.p); len(hooks) != 0 {
			t.Fatalf("refused webhooks were stored: %+v", hooks)
		}
		// Saved while allowed, dialled when not: the dial-time check refuses it.
		rcv := newReceiver(t)
		f.svc.AllowPrivate = true
		w, _, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{"*"}})
		if err != nil {
			t.Fatal(err)
		}
		f.svc.HTTP = safedial.Client(time.Second, false)
		a, err := f.svc.TestWebhook(context.Background(), f.p, w.ID)
		if err != nil || a.StatusCode != 0 || !strings.Contains(a.Error, "loopback") || rcv.count() != 0 {
			t.Fatalf("dial-time check: %+v %v", a, err)
		}
	})
}

func TestWebhookRotationSignsWithBoth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		w, old, _ := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{"*"}})
		_, fresh, err := f.svc.RotateSecret(context.Background(), f.p, w.ID, time.Hour)
		if err != nil || fresh == old {
			t.Fatal(err)
		}
		a, err := f.svc.TestWebhook(context.Background(), f.p, w.ID)
		if err != nil || a.StatusCode != 200 {
			t.Fatalf("%+v %v", a, err)
		}
		h, body := rcv.got[0].Header.Get(notify.HeaderSignature), rcv.body[0]
		if strings.Count(h, "v1=") != 2 || !notify.Verify(old, h, body, f.clk.Now(), time.Minute) || !notify.Verify(fresh, h, body, f.clk.Now(), time.Minute) {
			t.Fatalf("during the overlap: %s", h)
		}
		f.clk.Advance(2 * time.Hour)
		_, _ = f.svc.TestWebhook(context.Background(), f.p, w.ID)
		h, body = rcv.got[1].Header.Get(notify.HeaderSignature), rcv.body[1]
		if strings.Count(h, "v1=") != 1 || notify.Verify(old, h, body, f.clk.Now(), time.Minute) || !notify.Verify(fresh, h, body, f.clk.Now(), time.Minute) {
			t.Fatalf("after the overlap: %s", h)
		}
		if notify.Verify(fresh, h, body, f.clk.Now().Add(10*time.Minute), 5*time.Minute) {
			t.Fatal("a stale timestamp verified")
		}
	})
}

// The shell recipe of docs/MESSAGING.md: printf '%s.%s' "$ts" "$body" |
// openssl dgst -sha256 -hmac "$secret" gives the v1 signature.
func TestSignatureMatchesOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	body, secret, ts := []byte(`{"id":"x","type":"webhook.test","data":{"a":"b c"}}`), "whsec_abc", int64(1767225600)
	cmd := exec.Command("sh", "-c", `printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //'`)
	cmd.Env = append(cmd.Environ(), "TS=1767225600", "BODY="+string(body), "SECRET="+secret)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(out)), notify.Sign(secret, ts, body); got != want {
		t.Fatalf("openssl %s, Go %s", got, want)
	}
}
