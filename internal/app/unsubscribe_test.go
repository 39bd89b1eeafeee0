package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The unsubscribe link of an e-mail opens a page under /m/ that asks
// first (a GET changes nothing) and records the withdrawal on POST.
func TestUnsubscribePage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, smtp, p, org := mailApp(t, db)
		m, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: org.ID, Name: "Ann", Email: "ann@example.com", Roles: []party.Role{party.RoleOwner}})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := a.Notify.CreateTemplate(ctx, p, notify.Template{Code: "hello", Channel: "email", Lang: "en", Subject: "Hi", Body: "Hello {{person.name}}"})
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
		link := strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>")
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/m/u/") {
			t.Fatalf("link %q", link)
		}
		srv := a.Server("test")
		get := httptest.NewRecorder()
		srv.ServeHTTP(get, httptest.NewRequest("GET", u.Path, nil))
		if get.Code != 200 || !strings.Contains(get.Body.String(), "Acme Building") || !strings.Contains(get.Body.String(), `method="post"`) {
			t.Fatalf("GET %d %s", get.Code, get.Body)
		}
		prefs := func() []string {
			pr, err := a.Notify.GetPreferences(ctx, p, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return pr.OptedOut
		}
		if len(prefs()) != 0 {
			t.Fatal("a GET unsubscribed")
		}
		post := httptest.NewRecorder()
		srv.ServeHTTP(post, httptest.NewRequest("POST", u.Path, strings.NewReader("List-Unsubscribe=One-Click")))
		if post.Code != 200 || strings.Join(prefs(), ",") != "email" {
			t.Fatalf("POST %d, opted out of %v", post.Code, prefs())
		}
		bad := httptest.NewRecorder()
		srv.ServeHTTP(bad, httptest.NewRequest("GET", "/m/u/forged", nil))
		if bad.Code != http.StatusNotFound {
			t.Fatalf("a forged link: %d", bad.Code)
		}
	})
}
