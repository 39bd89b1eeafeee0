package app_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The open pixel answers an image; a rewritten link redirects to its
// own target only; a forged or altered token is a 404 page, not a
// redirect (no open redirect).
func TestTrackingEndpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, smtp, p, org := mailApp(t, db)
		m, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: org.ID, Name: "Ann", Email: "ann@example.com", Roles: []party.Role{party.RoleOwner}})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := a.Notify.CreateTemplate(ctx, p, notify.Template{Code: "hello", Channel: "email", Lang: "en", Subject: "Hi",
			Body: "Hello", HTML: `<p><a href="https://shop.example/a">shop</a></p>`})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Notify.TestSend(ctx, p, tpl.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Relay.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msg, err := smtp.WaitFor("ann@example.com", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		path := func(kind string) string {
			u := regexp.MustCompile(`[^"]*/m/` + kind + `/[^"]+`).FindString(msg.HTML)
			pu, err := url.Parse(u)
			if err != nil || u == "" {
				t.Fatalf("no /m/%s/ link in %s", kind, msg.HTML)
			}
			return pu.Path
		}
		srv := a.Server("test")
		serve := func(p string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
			return rec
		}
		if r := serve(path("o")); r.Code != 200 || r.Header().Get("Content-Type") != "image/gif" || !strings.HasPrefix(r.Body.String(), "GIF89a") {
			t.Fatalf("pixel: %d %q", r.Code, r.Header())
		}
		click := path("c")
		if r := serve(click); r.Code != http.StatusFound || r.Header().Get("Location") != "https://shop.example/a" {
			t.Fatalf("click: %d %q", r.Code, r.Header().Get("Location"))
		}
		enc, mac, _ := strings.Cut(click[len("/m/c/"):], ".")
		payload, _ := base64.RawURLEncoding.DecodeString(enc)
		evil := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), "https://shop.example/a", "https://evil.example/", 1)))
		for _, bad := range []string{"/m/c/forged", click[:len(click)-2] + "xx", "/m/c/" + evil + "." + mac} {
			if r := serve(bad); r.Code != http.StatusNotFound || r.Header().Get("Location") != "" {
				t.Errorf("%s: %d %q", bad, r.Code, r.Header().Get("Location"))
			}
		}
		if r := serve("/m/o/forged"); r.Code != http.StatusNotFound {
			t.Errorf("forged pixel: %d", r.Code)
		}
	})
}
