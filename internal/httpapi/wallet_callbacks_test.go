package httpapi_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	walletpkg "github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/google/googletest"
)

// callbackFixture is the wallet fixture with Google's callbacks verified
// against the root key of a fake Google.
type callbackFixture struct {
	*walletFixture
	g *googletest.Signer
}

func newCallbackFixture(t *testing.T, e *env) *callbackFixture {
	f := &callbackFixture{walletFixture: newWalletFixture(t, e), g: googletest.NewSigner(t, e.clock.Now())}
	e.app.Wallet.Callbacks = &google.Verifier{RecipientID: googletest.IssuerID, Keys: &google.RootKeys{Source: f.g.WriteRootKeys()}, Now: e.clock.Now}
	return f
}

// msg is a callback about the fixture's card.
func (f *callbackFixture) msg(event, nonce string) googletest.Message {
	return googletest.Message{ClassID: googletest.IssuerID + ".program-" + f.pid, ObjectID: googletest.IssuerID + ".card-" + f.card.Serial,
		ExpTimeMillis: f.e.clock.Now().Add(time.Hour).UnixMilli(), EventType: event, Nonce: nonce}
}

// post sends a callback for a tenant and returns the status.
func (f *callbackFixture) post(tenantID string, body []byte) int {
	return f.get("POST", "/wallet/google/"+tenantID+"/callback", "", bytes.NewReader(body)).Code
}

func (f *callbackFixture) installs(t *testing.T) walletpkg.GoogleSaves {
	t.Helper()
	var n walletpkg.Installs
	f.e.do("GET", "/v1/programs/"+f.pid+"/wallet-installs", f.e.keyA, nil).must(200, &n)
	return n.Google
}

// TestGoogleCallbacksCounted: the class handed out names the callback
// URL; a signed save and a signed delete are counted once each.
func TestGoogleCallbacksCounted(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newCallbackFixture(t, e)
		r := f.get("GET", e.app.Wallet.SignedLink(walletpkg.Google, e.tidA, f.card.Serial, time.Hour), "", nil)
		jwt, _ := strings.CutPrefix(r.Header().Get("Location"), "https://pay.google.com/gp/v/save/")
		if got := classCallbackURL(t, jwt); got != "https://loyal.example/wallet/google/"+e.tidA+"/callback" {
			t.Fatalf("the class's callback URL: %q", got)
		}
		if code := f.post(e.tidA, f.g.Sign(googletest.IssuerID, f.msg("save", "n-1"))); code != http.StatusOK {
			t.Fatalf("save callback: %d", code)
		}
		if code := f.post(e.tidA, f.g.Sign(googletest.IssuerID, f.msg("del", "n-2"))); code != http.StatusOK {
			t.Fatalf("delete callback: %d", code)
		}
		if n := f.installs(t); !n.Callbacks || n.Installed != 1 || n.Removed != 1 || n.Active != 0 || n.SaveLinks != 1 {
			t.Fatalf("installs: %+v", n)
		}
	})
}

// TestGoogleCallbacksRefused: unsigned, forged, expired, replayed,
// foreign and unknown callbacks are refused with 4xx and count nothing;
// a refused callback does not use up its nonce.
func TestGoogleCallbacksRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newCallbackFixture(t, e)
		if code := f.post(e.tidA, f.g.Sign(googletest.IssuerID, f.msg("save", "n-1"))); code != http.StatusOK {
			t.Fatalf("save callback: %d", code)
		}
		tidC, _ := e.tenantWithKey("charlie", "admin")
		forger := googletest.NewSigner(t, e.clock.Now())
		expired := f.msg("save", "n-2")
		expired.ExpTimeMillis = e.clock.Now().Add(-time.Second).UnixMilli()
		unknown := f.msg("save", "n-2")
		unknown.ObjectID = googletest.IssuerID + ".card-NOSUCHSERIAL"
		otherClass := f.msg("save", "n-2")
		otherClass.ClassID = googletest.IssuerID + ".program-other"
		cases := []struct {
			name, tenant string
			body         []byte
			want         int
		}{
			{"unsigned", e.tidA, []byte(`{"classId":"x","objectId":"y","eventType":"save","nonce":"n-2"}`), 401},
			{"forged", e.tidA, forger.Sign(googletest.IssuerID, f.msg("save", "n-2")), 401},
			{"another issuer's", e.tidA, f.g.Sign("42", f.msg("save", "n-2")), 401},
			{"expired", e.tidA, f.g.Sign(googletest.IssuerID, expired), 401},
			{"replayed", e.tidA, f.g.Sign(googletest.IssuerID, f.msg("save", "n-1")), 409},
			{"unknown card", e.tidA, f.g.Sign(googletest.IssuerID, unknown), 404},
			{"class of another program", e.tidA, f.g.Sign(googletest.IssuerID, otherClass), 404},
			{"another tenant", tidC, f.g.Sign(googletest.IssuerID, f.msg("save", "n-2")), 404},
		}
		for _, c := range cases {
			if code := f.post(c.tenant, c.body); code != c.want {
				t.Errorf("%s: %d, want %d", c.name, code, c.want)
			}
		}
		if n := f.installs(t); n.Installed != 1 || n.Removed != 0 {
			t.Fatalf("refused callbacks were counted: %+v", n)
		}
		if code := f.post(e.tidA, f.g.Sign(googletest.IssuerID, f.msg("del", "n-2"))); code != http.StatusOK {
			t.Fatalf("a genuine callback with a nonce refused callbacks carried: %d", code)
		}
	})
}

// TestGoogleCallbacksOff: without root keys configured callbacks are
// refused, and the figures say callbacks are not counted.
func TestGoogleCallbacksOff(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newCallbackFixture(t, e)
		e.app.Wallet.Callbacks = nil
		if code := f.post(e.tidA, f.g.Sign(googletest.IssuerID, f.msg("save", "n-1"))); code != http.StatusConflict {
			t.Fatalf("callback with callbacks off: %d", code)
		}
		if n := f.installs(t); n.Callbacks || n.Installed != 0 {
			t.Fatalf("installs: %+v", n)
		}
	})
}

// classCallbackURL reads the callback URL of the class in a save link.
func classCallbackURL(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Payload struct{ LoyaltyClasses []google.LoyaltyClass } `json:"payload"`
	}
	if err := json.Unmarshal(raw, &c); err != nil || len(c.Payload.LoyaltyClasses) != 1 || c.Payload.LoyaltyClasses[0].CallbackOptions == nil {
		t.Fatalf("the save link's class: %s", raw)
	}
	return c.Payload.LoyaltyClasses[0].CallbackOptions.URL
}
