package google_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/google/googletest"
)

var cbNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func callbackMsg(event string) googletest.Message {
	return googletest.Message{ClassID: googletest.IssuerID + ".program-p1", ObjectID: googletest.IssuerID + ".card-S1",
		ExpTimeMillis: cbNow.Add(time.Hour).UnixMilli(), EventType: event, Nonce: "n-1"}
}

func verifier(keysFile string) *google.Verifier {
	return &google.Verifier{RecipientID: googletest.IssuerID, Keys: &google.RootKeys{Source: keysFile}, Now: func() time.Time { return cbNow }}
}

func TestCallbackVerifies(t *testing.T) {
	g := googletest.NewSigner(t, cbNow)
	cb, err := verifier(g.WriteRootKeys()).Verify(context.Background(), g.Sign(googletest.IssuerID, callbackMsg("del")))
	if err != nil {
		t.Fatal(err)
	}
	if cb.EventType != google.EventDelete || cb.ObjectID != googletest.IssuerID+".card-S1" || cb.Nonce != "n-1" || !cb.Expires.Equal(cbNow.Add(time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("callback %+v", cb)
	}
}

// TestCallbackRefused: every link of the chain is checked.
func TestCallbackRefused(t *testing.T) {
	g := googletest.NewSigner(t, cbNow)
	keys := g.WriteRootKeys()
	other := googletest.NewSigner(t, cbNow) // a forger with keys of its own
	expiredInter := googletest.NewSigner(t, cbNow)
	expiredInter.Root = g.Root
	expiredInter.InterExpires = cbNow.Add(-time.Second)
	foreignInter := googletest.NewSigner(t, cbNow)
	foreignInter.Root = other.Root // an intermediate key signed by a root not trusted here
	old := callbackMsg("save")
	old.ExpTimeMillis = cbNow.Add(-time.Millisecond).UnixMilli()
	unknown := callbackMsg("update")
	good := string(g.Sign(googletest.IssuerID, callbackMsg("save")))
	cases := map[string]string{
		"not json":                 "signed by Google",
		"unsigned":                 `{"protocolVersion":"ECv2SigningOnly","signedMessage":"{}"}`,
		"forged":                   string(other.Sign(googletest.IssuerID, callbackMsg("save"))),
		"untrusted intermediate":   string(foreignInter.Sign(googletest.IssuerID, callbackMsg("save"))),
		"expired intermediate":     string(expiredInter.Sign(googletest.IssuerID, callbackMsg("save"))),
		"another issuer":           string(g.Sign("1234", callbackMsg("save"))),
		"expired message":          string(g.Sign(googletest.IssuerID, old)),
		"unknown event":            string(g.Sign(googletest.IssuerID, unknown)),
		"message changed":          strings.Replace(good, `save`, `del`, 1),
		"other protocol":           strings.Replace(good, `"protocolVersion":"ECv2SigningOnly"`, `"protocolVersion":"ECv2"`, 1),
		"extra field (not Google)": strings.Replace(good, `{`, `{"x":1,`, 1),
	}
	for name, body := range cases {
		_, err := verifier(keys).Verify(context.Background(), []byte(body))
		var refused *google.ErrCallback
		if !errors.As(err, &refused) {
			t.Errorf("%s: want a refusal, got %v", name, err)
		}
	}
}

// TestRootKeysExpire: an expired root key is not trusted.
func TestRootKeysExpire(t *testing.T) {
	g := googletest.NewSigner(t, cbNow)
	g.RootExpires = cbNow
	_, err := verifier(g.WriteRootKeys()).Verify(context.Background(), g.Sign(googletest.IssuerID, callbackMsg("save")))
	var refused *google.ErrCallback
	if !errors.As(err, &refused) {
		t.Fatalf("want a refusal, got %v", err)
	}
}

// TestRootKeysFromURL: keys are fetched once and kept for an hour, and a
// failed refresh keeps the old ones.
func TestRootKeysFromURL(t *testing.T) {
	g := googletest.NewSigner(t, cbNow)
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fetches.Add(1) > 1 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write(g.RootKeysJSON())
	}))
	defer srv.Close()
	now := cbNow
	v := &google.Verifier{RecipientID: googletest.IssuerID, Keys: &google.RootKeys{Source: srv.URL}, Now: func() time.Time { return now }}
	for _, step := range []time.Duration{0, time.Minute, 2 * time.Hour} {
		now = now.Add(step)
		m := callbackMsg("save")
		m.ExpTimeMillis = now.Add(time.Hour).UnixMilli()
		if _, err := v.Verify(context.Background(), g.Sign(googletest.IssuerID, m)); err != nil {
			t.Fatalf("after %v: %v", step, err)
		}
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("fetched %d times, want 2 (once, then once more after an hour)", n)
	}
}
