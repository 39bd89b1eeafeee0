package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/tenant"
	walletpkg "github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/wallet/apple"
	"github.com/loyal-b2b/loyal/internal/wallet/apple/appletest"
	"github.com/loyal-b2b/loyal/internal/wallet/google"
	"github.com/loyal-b2b/loyal/internal/wallet/google/googletest"
)

// walletFixture is tenant A with both wallets configured against fakes,
// a program and its dealer R-1's card.
type walletFixture struct {
	e     *env
	srv   http.Handler
	apns  *appletest.APNs
	gapi  *googletest.Server
	gacct googletest.Account
	card  card.Card
	pid   string
}

func newWalletFixture(t *testing.T, e *env) *walletFixture {
	f := &walletFixture{e: e, srv: e.app.Server("test"), apns: appletest.NewAPNs(t), gapi: googletest.NewServer(t)}
	id := appletest.New(t)
	w := e.app.Wallet
	w.PublicURL, w.Apple, w.Pusher = "https://loyal.example", id.Signer, apple.NewAPNs(id.Signer, f.apns.Server.URL, f.apns.Roots)
	f.gacct = googletest.NewAccount(t, f.gapi.URL+"/token")
	iss, err := google.LoadIssuer(googletest.IssuerID, f.gacct.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	w.Google, w.Objects = iss, google.NewAPI(iss, f.gapi.URL)
	pf := newProgram(e, obj{"rules": []obj{{"id": "base", "name": "1 point per 10.00", "effects": []obj{{"type": "earn", "per_amount": obj{"points": 1, "per": 1000}}}}}})
	f.pid = str(pf.program["id"])
	f.card, _, err = e.app.Cards.Issue(context.Background(), access.System(e.tidA), card.IssueInput{ProgramID: f.pid, OwnerType: "organization", Owner: "ext:R-1"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// get serves a request through the whole server.
func (f *walletFixture) get(method, target, auth string, body io.Reader, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	if auth != "" {
		req.Header.Set("Authorization", "ApplePass "+auth)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

// passJSON reads pass.json of a .pkpass.
func passJSON(t *testing.T, b []byte) (pj struct {
	SerialNumber, AuthenticationToken string
	WebServiceURL                     string `json:"webServiceURL"`
	StoreCard                         struct {
		PrimaryFields []struct{ Key, Value, ChangeMessage string }
	}
}) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a pkpass: %v", err)
	}
	for _, zf := range zr.File {
		if zf.Name == "pass.json" {
			rc, _ := zf.Open()
			defer rc.Close()
			if err := json.NewDecoder(rc).Decode(&pj); err != nil {
				t.Fatal(err)
			}
		}
	}
	return pj
}

func (f *walletFixture) sync(t *testing.T) int {
	t.Helper()
	n, err := f.e.app.RunJob(context.Background(), app.JobWallet, tenant.Tenant{ID: f.e.tidA, Slug: "acme"}, f.e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *walletFixture) earn(ext string, cents int64) {
	f.e.send(f.e.keyA, invoice(ext, line("CEMENT", 1, cents)))
}

func TestApplePassLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newWalletFixture(t, e)
		link := e.app.Wallet.SignedLink(walletpkg.Apple, e.tidA, f.card.Serial, time.Hour)
		if r := f.get("GET", strings.Replace(link, f.card.Serial+".pkpass?", f.card.Serial+".pkpass?x=1&", 1)+"0", "", nil); r.Code != http.StatusUnauthorized {
			t.Fatalf("a tampered link: %d", r.Code)
		}
		dl := f.get("GET", link, "", nil)
		if dl.Code != 200 || dl.Header().Get("Content-Type") != apple.MIMEType {
			t.Fatalf("download: %d %s", dl.Code, dl.Body)
		}
		pj := passJSON(t, dl.Body.Bytes())
		ws, tok := strings.TrimPrefix(pj.WebServiceURL, "https://loyal.example"), pj.AuthenticationToken
		if pj.SerialNumber != f.card.Serial || ws != apple.Root+"/"+e.tidA || len(tok) < 16 {
			t.Fatalf("pass.json: %+v", pj)
		}
		reg := ws + "/v1/devices/dev-1/registrations/" + appletest.PassTypeID + "/" + f.card.Serial
		push := `{"pushToken":"push-1"}`
		if r := f.get("POST", reg, "wrong-token-wrong-token", strings.NewReader(push)); r.Code != http.StatusUnauthorized {
			t.Fatalf("registration with a wrong token: %d", r.Code)
		}
		for i, want := range []int{http.StatusCreated, http.StatusOK} {
			if r := f.get("POST", reg, tok, strings.NewReader(push)); r.Code != want {
				t.Fatalf("registration %d: %d %s", i, r.Code, r.Body)
			}
		}
		f.sync(t) // nothing changed since the download
		e.clock.Advance(time.Minute)
		list := ws + "/v1/devices/dev-1/registrations/" + appletest.PassTypeID
		var serials struct {
			SerialNumbers []string
			LastUpdated   string
		}
		if r := f.get("GET", list, "", nil); r.Code != 200 || json.Unmarshal(r.Body.Bytes(), &serials) != nil || len(serials.SerialNumbers) != 1 {
			t.Fatalf("serials: %d %s", r.Code, r.Body)
		}
		if r := f.get("GET", list+"?passesUpdatedSince="+serials.LastUpdated, "", nil); r.Code != http.StatusNoContent {
			t.Fatalf("nothing changed since the tag: %d %s", r.Code, r.Body)
		}
		before := len(f.apns.Pushes())
		f.earn("INV-1", 120000) // 1,200.00: 120 points
		if n := f.sync(t); n != 1 {
			t.Fatalf("sync after an earn changed %d cards, want 1", n)
		}
		if p := f.apns.Pushes(); len(p) != before+1 || p[len(p)-1].Token != "push-1" || p[len(p)-1].Topic != appletest.PassTypeID {
			t.Fatalf("pushes: %+v", p)
		}
		r := f.get("GET", list+"?passesUpdatedSince="+serials.LastUpdated, "", nil)
		if r.Code != 200 || !strings.Contains(r.Body.String(), f.card.Serial) {
			t.Fatalf("the earn's pass is not listed as updated: %d %s", r.Code, r.Body)
		}
		latest := f.get("GET", ws+"/v1/passes/"+appletest.PassTypeID+"/"+f.card.Serial, tok, nil)
		bal := passJSON(t, latest.Body.Bytes()).StoreCard.PrimaryFields[0]
		if latest.Code != 200 || bal.Value != "120" || bal.ChangeMessage != "+120 points, now %@" {
			t.Fatalf("latest pass: %d %+v", latest.Code, bal)
		}
		if r := f.get("GET", ws+"/v1/passes/"+appletest.PassTypeID+"/"+f.card.Serial, tok, nil, "If-Modified-Since", latest.Header().Get("Last-Modified")); r.Code != http.StatusNotModified {
			t.Fatalf("unchanged pass: %d", r.Code)
		}
		// A new design reaches the pass too.
		e.clock.Advance(time.Minute)
		pushed := len(f.apns.Pushes())
		e.do("PUT", "/v1/programs/"+f.pid+"/card-design", e.keyA, obj{"title": "Brick Club", "background": "#7a1f3d", "foreground": "#ffffff",
			"label": "#eeeeee", "fields": []string{"balance"}}).must(200, nil)
		if n := f.sync(t); n != 1 || len(f.apns.Pushes()) != pushed+1 {
			t.Fatalf("a design change: %d cards, %d pushes", n, len(f.apns.Pushes())-pushed)
		}
		if r := f.get("DELETE", reg, tok, nil); r.Code != 200 {
			t.Fatalf("unregister: %d", r.Code)
		}
		var n walletpkg.Installs
		e.do("GET", "/v1/programs/"+f.pid+"/wallet-installs", e.keyA, nil).must(200, &n)
		if n.Apple.Installed != 1 || n.Apple.Removed != 1 || n.Apple.Active != 0 || !n.Apple.Configured {
			t.Fatalf("installs: %+v", n)
		}
	})
}

func TestGoogleSaveLinkAndUpdates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newWalletFixture(t, e)
		f.earn("INV-1", 50000)
		if n := f.sync(t); n != 0 {
			t.Fatalf("the job refreshed %d cards no wallet holds", n)
		}
		if r := f.get("GET", walletpkg.GoogleSave+f.card.Serial, "", nil); r.Code != http.StatusUnauthorized {
			t.Fatalf("without a session or a signed link: %d", r.Code)
		}
		r := f.get("GET", e.app.Wallet.SignedLink(walletpkg.Google, e.tidA, f.card.Serial, time.Hour), "", nil)
		jwt, ok := strings.CutPrefix(r.Header().Get("Location"), "https://pay.google.com/gp/v/save/")
		if r.Code != http.StatusSeeOther || !ok {
			t.Fatalf("save link: %d %s", r.Code, r.Header().Get("Location"))
		}
		if o := verifiedObject(t, jwt, &f.gacct.Key.PublicKey); o.LoyaltyPoints.Balance.String != "50" || o.Barcode.Value != f.card.Number {
			t.Fatalf("saved object: %+v %+v", o, o.LoyaltyPoints)
		}
		f.sync(t)
		e.clock.Advance(time.Minute)
		f.earn("INV-2", 120000)
		f.sync(t)
		reqs := f.gapi.Requests()
		var last google.LoyaltyObject
		for _, q := range reqs {
			if strings.HasPrefix(q.Path, "/loyaltyObject") {
				_ = json.Unmarshal(q.Body, &last)
			}
		}
		if last.LoyaltyPoints == nil || last.LoyaltyPoints.Balance.String != "170" || len(last.Messages) != 1 || last.Messages[0].Body != "+120 points, now 170" {
			t.Fatalf("the object sent after the earn: %+v (requests %d)", last, len(reqs))
		}
		var n walletpkg.Installs
		e.do("GET", "/v1/programs/"+f.pid+"/wallet-installs", e.keyA, nil).must(200, &n)
		if n.Google.SaveLinks != 1 {
			t.Fatalf("installs: %+v", n)
		}
	})
}

// verifiedObject checks a save link's JWT with the public key and returns
// its object.
func verifiedObject(t *testing.T, jwt string, pub *rsa.PublicKey) google.LoyaltyObject {
	t.Helper()
	parts := strings.Split(jwt, ".")
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if len(parts) != 3 || rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil {
		t.Fatal("the save link's JWT does not verify with the service account's public key")
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Payload struct{ LoyaltyObjects []google.LoyaltyObject }
	}
	if err := json.Unmarshal(raw, &c); err != nil || len(c.Payload.LoyaltyObjects) != 1 {
		t.Fatalf("claims %s: %v", raw, err)
	}
	return c.Payload.LoyaltyObjects[0]
}

func TestWalletNotConfigured(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		pf := newProgram(e, obj{"rules": []obj{}})
		c, _, err := e.app.Cards.Issue(context.Background(), access.System(e.tidA), card.IssueInput{ProgramID: str(pf.program["id"]), OwnerType: "organization", Owner: "ext:R-1"})
		if err != nil {
			t.Fatal(err)
		}
		srv := e.app.Server("test")
		for _, path := range []string{e.app.Wallet.SignedLink(walletpkg.Apple, e.tidA, c.Serial, time.Hour),
			e.app.Wallet.SignedLink(walletpkg.Google, e.tidA, c.Serial, time.Hour)} {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "not configured") {
				t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
			}
		}
		u, _ := url.Parse(e.app.Wallet.SignedLink(walletpkg.Google, e.tidA, c.Serial, time.Hour))
		q := u.Query()
		q.Set("t", "another-tenant")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", u.Path+"?"+q.Encode(), nil))
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("a link moved to another tenant: %d", rec.Code)
		}
	})
}

// TestWalletSyncParallel: replicas running the wallet job at once push a
// changed card once.
func TestWalletSyncParallel(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newWalletFixture(t, e)
		tok, err := e.app.Cards.NewPassToken(context.Background(), e.tidA, f.card.ID)
		if err != nil {
			t.Fatal(err)
		}
		reg := apple.Root + "/" + e.tidA + "/v1/devices/dev-1/registrations/" + appletest.PassTypeID + "/" + f.card.Serial
		if r := f.get("POST", reg, tok, strings.NewReader(`{"pushToken":"push-1"}`)); r.Code != http.StatusCreated {
			t.Fatalf("register: %d", r.Code)
		}
		f.sync(t)
		before := len(f.apns.Pushes())
		f.earn("INV-1", 120000)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := e.app.Wallet.Sync(context.Background(), e.tidA); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := len(f.apns.Pushes()) - before; n != 1 {
			t.Fatalf("%d pushes for one change, want 1", n)
		}
	})
}
