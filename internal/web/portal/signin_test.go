package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

func TestMemberSignsInByCodeAndSeesTheirCard(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		s.earn(s.foreman, 120, "welcome bonus")
		b := s.browser()
		if r := b.get("/p/"); r.status != http.StatusSeeOther || r.where != "/p/sign-in" {
			t.Fatalf("the card without a session: %d %s", r.status, r.where)
		}
		// By SMS this time: the code goes to the phone.
		if r := b.post("/p/acme/sign-in", url.Values{"address": {"+44 7700 900002"}}); r.status != http.StatusOK {
			t.Fatalf("ask: %d %s", r.status, r.body)
		}
		r := b.post("/p/acme/code", url.Values{"address": {"+44 7700 900002"}, "code": {s.lastCode("+447700900002")}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("code: %d %s", r.status, r.body)
		}
		card := b.get("/p/")
		for _, want := range []string{"Ivan Foreman", `class="qr"`, `class="barcode"`, ">120<", "/p/wallet/apple/", "/p/wallet/google/"} {
			if !strings.Contains(card.body, want) {
				t.Fatalf("the card lacks %q:\n%s", want, card.body)
			}
		}
		if h := b.get("/p/history"); !strings.Contains(h.body, "welcome bonus") {
			t.Fatalf("the history lacks the reason:\n%s", h.body)
		}
	})
}

func TestSignInAnswersAlikeForStrangers(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser()
		known := b.post("/p/acme/sign-in", url.Values{"address": {"ivan@brick.example"}})
		unknown := b.post("/p/acme/sign-in", url.Values{"address": {"nobody@brick.example"}})
		if known.status != unknown.status || stripTokens(known.body, "ivan@brick.example") != stripTokens(unknown.body, "nobody@brick.example") {
			t.Fatalf("known and unknown addresses answer differently")
		}
		r := b.post("/p/acme/code", url.Values{"address": {"ivan@brick.example"}, "code": {"000000"}})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.body, "not right") {
			t.Fatalf("a wrong code: %d", r.status)
		}
	})
}

// stripTokens removes what differs between two answers by design: the
// address typed and the forms' fresh tokens.
func stripTokens(body, addr string) string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "&#43;", "+"), addr, "X")
	for {
		i := strings.Index(body, `name="_token" value="`)
		if i < 0 {
			return body
		}
		j := strings.Index(body[i+21:], `"`)
		body = body[:i] + body[i+21+j+1:]
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser().signIn(s.foreman)
		b.post("/p/sign-out", url.Values{})
		if r := b.get("/p/"); r.status != http.StatusSeeOther {
			t.Fatalf("after sign-out the card answered %d", r.status)
		}
	})
}

// Persian is right to left: the page says so and shows the translated
// strings (the rest falls back to English).
func TestPersianSignInIsRightToLeft(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite), clock.System{})
	b := s.browser()
	b.post("/p/language", url.Values{"lang": {"fa"}, "back": {"/p/acme/sign-in"}})
	r := b.get("/p/acme/sign-in")
	if !strings.Contains(r.body, `dir="rtl"`) || !strings.Contains(r.body, "ورود به کارت شما") {
		t.Fatalf("Persian sign-in:\n%s", r.body)
	}
}
