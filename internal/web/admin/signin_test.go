package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

func signInForm(email, pw string) url.Values {
	return url.Values{"workspace": {"acme"}, "email": {email}, "password": {pw}}
}

// A wrong password says so without telling which part was wrong; the
// cookie is HttpOnly and SameSite=Lax; every sign-in gets a new session
// id; signing out ends the session for good.
func TestSignInAndOut(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser()
		email := c.staff["support"].Email
		for _, f := range []url.Values{signInForm(email, "wrong password!"), signInForm("nobody@acme.example", password),
			{"workspace": {"nope"}, "email": {email}, "password": {password}}} {
			got := b.post("/admin/sign-in", f)
			if got.status != http.StatusUnauthorized || !strings.Contains(got.body, "The workspace, e-mail or password is wrong.") {
				t.Errorf("wrong sign-in %v: %d\n%.400s", f, got.status, got.body)
			}
		}
		if got := b.post("/admin/sign-in", url.Values{"workspace": {"acme"}}); got.status != http.StatusUnprocessableEntity ||
			!regexp.MustCompile(`id="e-email"[^>]*>Fill this in`).MatchString(got.body) {
			t.Errorf("empty fields are not named next to them: %d\n%s", got.status, got.body)
		}
		got := b.post("/admin/sign-in", signInForm(email, password))
		ck := cookieOf(got, "loyal_staff")
		if got.status != http.StatusSeeOther || ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
			t.Fatalf("sign-in: %d, cookie %+v", got.status, ck)
		}
		first := ck.Value
		if !strings.Contains(b.get("/admin/").body, c.staff["support"].Name) {
			t.Error("the dashboard does not show who is signed in")
		}
		// Signing in again (another tab) makes a new session and ends the old one.
		again := cookieOf(b.post("/admin/sign-in", signInForm(email, password)), "loyal_staff")
		if again == nil || again.Value == first {
			t.Fatalf("second sign-in kept the session id")
		}
		old := c.browser()
		old.setCookie("loyal_staff", first)
		if got := old.get("/admin/"); got.status != http.StatusSeeOther {
			t.Errorf("the session replaced at sign-in still works: %d", got.status)
		}
		if got := b.post("/admin/sign-out", nil); got.status != http.StatusSeeOther || got.where != "/admin/sign-in?done=signed_out" {
			t.Fatalf("sign-out: %d %s", got.status, got.where)
		}
		reuse := c.browser()
		reuse.setCookie("loyal_staff", again.Value)
		if got := reuse.get("/admin/"); got.status != http.StatusSeeOther {
			t.Errorf("a signed-out session still works: %d", got.status)
		}
	})
}

// Sign out everywhere ends the user's other sessions too, and no one
// else's.
func TestSignOutEverywhere(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		laptop, phone := c.browser().signIn("finance"), c.browser().signIn("finance")
		other := c.browser().signIn("support")
		if got := laptop.post("/admin/sign-out-everywhere", nil); got.status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", got.status)
		}
		for name, b := range map[string]*browser{"laptop": laptop, "phone": phone} {
			if got := b.get("/admin/"); got.status != http.StatusSeeOther {
				t.Errorf("%s still signed in: %d", name, got.status)
			}
		}
		if got := other.get("/admin/"); got.status != http.StatusOK {
			t.Errorf("another user was signed out: %d", got.status)
		}
	})
}

// Sessions end after 30 idle minutes and 12 hours at most, and when the
// password changes.
func TestSessionExpiry(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		clk := c.clock.(*clock.Fake)
		b := c.browser().signIn("admin")
		clk.Advance(session.DefaultPolicy.Idle - time.Minute)
		if got := b.get("/admin/"); got.status != http.StatusOK {
			t.Fatalf("active session ended early: %d", got.status)
		}
		clk.Advance(session.DefaultPolicy.Idle + time.Second)
		if got := b.get("/admin/"); got.status != http.StatusSeeOther {
			t.Errorf("idle session still works: %d", got.status)
		}
		busy := c.browser().signIn("admin")
		for range 13 {
			clk.Advance(time.Hour - time.Minute)
			if busy.get("/admin/organizations").status != http.StatusOK {
				break
			}
		}
		if got := busy.get("/admin/organizations"); got.status != http.StatusSeeOther {
			t.Errorf("a session lived past its absolute expiry: %d", got.status)
		}
		pw := c.browser().signIn("admin")
		clk.Advance(time.Second)
		must(t, c.app.Tenants.SetPassword(t.Context(), c.sys, c.staff["admin"].ID, "a brand new password"))
		if got := pw.get("/admin/"); got.status != http.StatusSeeOther {
			t.Errorf("a session begun before a password change still works: %d", got.status)
		}
	})
}

// Five wrong passwords lock the account out (and say so), even with the
// right password afterwards; other accounts are not locked.
func TestLockOut(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser()
		email := c.staff["finance"].Email
		for range 5 {
			b.post("/admin/sign-in", signInForm(email, "wrong password!"))
		}
		got := b.post("/admin/sign-in", signInForm(email, password))
		if got.status != http.StatusTooManyRequests || !strings.Contains(got.body, "Too many failed attempts") {
			t.Fatalf("locked account: %d\n%.500s", got.status, got.body)
		}
		c.browser().signIn("support")
		c.clock.(*clock.Fake).Advance(2 * time.Minute)
		c.browser().signIn("finance")
	})
}

// Forgotten password: the same answer for anyone; a real user gets a
// link that works once and signs them in; the old password stops working.
func TestPasswordReset(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser()
		for _, email := range []string{"nobody@acme.example", c.staff["support"].Email} {
			got := b.post("/admin/forgot", url.Values{"workspace": {"acme"}, "email": {email}})
			if got.status != http.StatusOK || !strings.Contains(got.body, "If this e-mail belongs to someone") {
				t.Fatalf("forgot %s: %d", email, got.status)
			}
		}
		sent := c.mailer.Sent()
		if len(sent) != 1 || sent[0].To != c.staff["support"].Email {
			t.Fatalf("mail sent: %+v", sent)
		}
		link := regexp.MustCompile(c.srv.URL + `(/admin/link/reset/acme/[a-z0-9]+)`).FindStringSubmatch(sent[0].Text)
		if link == nil {
			t.Fatalf("no link in %q", sent[0].Text)
		}
		if got := b.post(link[1], url.Values{"password": {"short"}, "confirm": {"short"}}); got.status != http.StatusUnprocessableEntity ||
			!strings.Contains(got.body, `id="e-password"`) {
			t.Errorf("weak password: %d", got.status)
		}
		if got := b.post(link[1], url.Values{"password": {"a new long password"}, "confirm": {"a new long password"}}); got.status != http.StatusSeeOther {
			t.Fatalf("reset: %d\n%s", got.status, got.body)
		}
		if got := b.get("/admin/"); got.status != http.StatusOK {
			t.Errorf("not signed in after the reset: %d", got.status)
		}
		if got := c.browser().post(link[1], url.Values{"password": {"another long one"}, "confirm": {"another long one"}}); got.status != http.StatusNotFound {
			t.Errorf("the link worked twice: %d", got.status)
		}
		if got := c.browser().post("/admin/sign-in", signInForm(c.staff["support"].Email, password)); got.status != http.StatusUnauthorized {
			t.Errorf("the old password still works: %d", got.status)
		}
	})
}

// An invitation creates the user without a password and mails a link to
// choose one.
func TestInvitation(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		st, err := c.app.Tenants.Invite(t.Context(), c.sys, tenant.StaffInput{Email: "new@acme.example", Name: "New Person", Role: tenant.RoleSupport})
		must(t, err)
		if got := c.browser().post("/admin/sign-in", signInForm(st.Email, "")); got.status == http.StatusSeeOther {
			t.Fatal("an invited user signed in without a password")
		}
		sent := c.mailer.Sent()
		link := regexp.MustCompile(`/admin/link/invite/acme/[a-z0-9]+`).FindString(sent[len(sent)-1].Text)
		b := c.browser()
		if got := b.post(link, url.Values{"password": {"my first password"}, "confirm": {"my first password"}}); got.status != http.StatusSeeOther {
			t.Fatalf("accept invitation: %d", got.status)
		}
		if !strings.Contains(b.get("/admin/").body, "New Person") {
			t.Error("not signed in as the invited user")
		}
	})
}

func cookieOf(r response, name string) *http.Cookie {
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.c.srv.URL)
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value}})
}

// The daily sessions job deletes exactly the sessions that ended (idle or
// past their absolute expiry) and leaves the live ones working.
func TestEndedSessionsPurged(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		clk := c.clock.(*clock.Fake)
		tn, err := c.app.Tenants.Current(t.Context(), c.sys)
		must(t, err)
		c.browser().signIn("admin")
		c.browser().signIn("support")
		clk.Advance(session.DefaultPolicy.Idle + time.Second)
		live := c.browser().signIn("admin")
		n, err := c.app.RunJob(t.Context(), session.JobPurge, tn, clk.Now())
		if err != nil || n != 2 {
			t.Fatalf("purged %d sessions (%v), want the 2 idle ones", n, err)
		}
		if got := live.get("/admin/"); got.status != http.StatusOK {
			t.Fatalf("a live session was purged: %d", got.status)
		}
		if n, err := c.app.RunJob(t.Context(), session.JobPurge, tn, clk.Now()); err != nil || n != 0 {
			t.Fatalf("second run purged %d (%v)", n, err)
		}
	})
}
