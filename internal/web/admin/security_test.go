package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/web"
)

// pages lists every console page a signed-in person can open, for the
// checks that must hold on all of them.
func (c *console) pages() []string {
	acct := c.wallet(c.tomOrg)
	ev := c.invoice("INV-PAGES", c.tomOrg, 1, 100)
	pages := []string{"/admin/", "/admin/dashboard/live", "/admin/organizations", "/admin/organizations?q=a",
		"/admin/organizations/" + c.tomOrg.ID, "/admin/accounts/" + acct.ID, "/admin/events/" + ev.ID,
		"/admin/approvals", "/admin/api-keys", "/admin/audit",
		"/admin/programs", "/admin/programs/" + c.program.ID, "/admin/programs/" + c.program.ID + "/edit",
		"/admin/programs/" + c.program.ID + "/edit?tab=raw", "/admin/programs/" + c.program.ID + "/status?to=paused", "/admin/calendar"}
	pages = append(pages, "/admin/templates", "/admin/templates/new", "/admin/campaigns", "/admin/surveys")
	return append(pages, c.offersPages()...)
}

// Nothing of the console without a session: pages send to the sign-in
// page, actions are refused and change nothing.
func TestNoPageWithoutSession(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		anon := c.browser()
		for _, p := range c.pages() {
			if got := anon.get(p); got.status != http.StatusSeeOther || got.where != "/admin/sign-in" {
				t.Errorf("GET %s without a session: %d %s", p, got.status, got.where)
			}
		}
		acct := c.wallet(c.tomOrg)
		posts := []string{"/admin/accounts/" + acct.ID + "/adjust", "/admin/api-keys", "/admin/organizations/" + c.tomOrg.ID,
			"/admin/approvals/adjustments/x/approve", "/admin/sign-out-everywhere"}
		for _, p := range posts {
			if got := anon.post(p, url.Values{"amount": {"5"}, "note": {"x"}, "name": {"k"}, "scope": {"admin"}}); got.status != http.StatusSeeOther || got.where != "/admin/sign-in" {
				t.Errorf("POST %s without a session: %d %s", p, got.status, got.where)
			}
		}
		if a := c.wallet(c.tomOrg); a.Available != acct.Available {
			t.Errorf("an anonymous post changed the wallet: %d → %d", acct.Available, a.Available)
		}
		// A forged cookie is no session either.
		forged := c.browser()
		u, _ := url.Parse(c.srv.URL)
		forged.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "loyal_staff", Value: c.sys.TenantID + "." + strings.Repeat("a", 39)}})
		if got := forged.get("/admin/"); got.status != http.StatusSeeOther {
			t.Errorf("forged cookie: %d", got.status)
		}
		// htmx's polling gets a 401 with where to go, not a page.
		if got := anon.do("GET", "/admin/dashboard/live", nil, "HX-Request", "true"); got.status != http.StatusUnauthorized || got.header.Get("HX-Redirect") != "/admin/sign-in" {
			t.Errorf("htmx without a session: %d %q", got.status, got.header.Get("HX-Redirect"))
		}
	})
}

// Each role sees what it may do and is refused the rest, by the services.
func TestRolesOnPages(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		acct := c.wallet(c.tomOrg)
		tests := []struct {
			role, method, path string
			form               url.Values
			want               int
		}{
			{"read_only", "GET", "/admin/organizations/" + c.tomOrg.ID, nil, 200},
			{"read_only", "POST", "/admin/accounts/" + acct.ID + "/adjust", url.Values{"amount": {"5"}, "note": {"x"}}, 403},
			{"read_only", "GET", "/admin/api-keys", nil, 403},
			{"support", "GET", "/admin/api-keys", nil, 403},
			{"support", "GET", "/admin/audit", nil, 403},
			{"finance", "GET", "/admin/audit", nil, 200},
			{"program_manager", "POST", "/admin/api-keys", url.Values{"name": {"k"}, "scope": {"read"}}, 403},
			{"account_manager", "GET", "/admin/organizations/" + c.tomOrg.ID, nil, 200},
			{"account_manager", "GET", "/admin/organizations/" + c.veraOrg.ID, nil, 403},
			{"account_manager", "GET", "/admin/accounts/" + acct.ID, nil, 200},
			{"account_manager2", "GET", "/admin/accounts/" + acct.ID, nil, 403},
			{"account_manager2", "POST", "/admin/organizations/" + c.tomOrg.ID, url.Values{"name": {"Mine now"}, "unchanged_since": {c.tomOrg.UpdatedAt.Format("2006-01-02T15:04:05.999999999Z07:00")}}, 403},
			{"admin", "GET", "/admin/api-keys", nil, 200},
		}
		for _, tc := range tests {
			b := c.browser().signIn(tc.role)
			if got := b.do(tc.method, tc.path, tc.form); got.status != tc.want {
				t.Errorf("%s %s %s: %d, want %d\n%.300s", tc.role, tc.method, tc.path, got.status, tc.want, got.body)
			}
		}
		// An account manager's search lists only their own organizations.
		b := c.browser().signIn("account_manager")
		list := b.get("/admin/organizations?type=dealer")
		if !strings.Contains(list.body, c.tomOrg.ID) || strings.Contains(list.body, c.veraOrg.ID) {
			t.Errorf("account manager's search shows someone else's organization, or not their own:\n%s", list.body)
		}
		if o, _ := c.app.Party.GetOrganization(t.Context(), c.sys, c.tomOrg.ID); o.Name != c.tomOrg.Name {
			t.Errorf("a refused edit changed the organization: %q", o.Name)
		}
	})
}

// A form sent from another site is refused and does nothing.
func TestCrossOriginPostRefused(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		acct := c.wallet(c.tomOrg)
		form := url.Values{"amount": {"5"}, "note": {"from elsewhere"}}
		for _, hdr := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
			got := b.do("POST", "/admin/accounts/"+acct.ID+"/adjust", form, hdr...)
			if got.status != http.StatusForbidden {
				t.Errorf("cross-origin post (%s): %d", hdr[0], got.status)
			}
		}
		if got := b.do("POST", "/admin/sign-out-everywhere", nil, "Sec-Fetch-Site", "cross-site"); got.status != http.StatusForbidden {
			t.Errorf("cross-origin sign-out: %d", got.status)
		}
		if a := c.wallet(c.tomOrg); a.Available != acct.Available {
			t.Errorf("a cross-origin post changed the wallet")
		}
		// The same form from the console itself goes through.
		if got := b.do("POST", "/admin/accounts/"+acct.ID+"/adjust", form, "Sec-Fetch-Site", "same-origin"); got.status != http.StatusSeeOther {
			t.Errorf("same-origin post: %d %s", got.status, got.body)
		}
	})
}

// An organization named like a script renders as text on every page.
func TestScriptInNameIsText(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		evil := `<script>alert(1)</script>`
		o := c.org(evil, "X-1", c.staff["account_manager"].ID)
		c.invoice("INV-X", o, 3, 1000)
		cl := c.claim("CL-X", o)
		_ = cl
		b := c.browser().signIn("admin")
		acct := c.wallet(o)
		h, err := c.app.Events.History(t.Context(), c.sys, o.ID, pageReq())
		must(t, err)
		pages := append(c.pages(), "/admin/organizations/"+o.ID, "/admin/accounts/"+acct.ID, "/admin/events/"+h.Items[0].ID,
			"/admin/organizations?q=%3Cscript")
		for _, p := range pages {
			got := b.get(p)
			if got.status != 200 {
				t.Errorf("%s: %d", p, got.status)
			}
			if strings.Contains(got.body, evil) {
				t.Errorf("%s renders the name as markup", p)
			}
		}
		for _, p := range []string{"/admin/organizations/" + o.ID, "/admin/approvals", "/admin/organizations?q=%3Cscript"} {
			if !strings.Contains(b.get(p).body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("%s does not show the name as text", p)
			}
		}
	})
}

// Every page carries a Content-Security-Policy without inline script or
// style, and no page has an inline script, style or event handler.
func TestContentSecurityPolicy(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		for _, p := range append(c.pages(), "/admin/sign-in", "/admin/forgot", "/") {
			got := b.get(p)
			csp := got.header.Get("Content-Security-Policy")
			if csp != web.CSP || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: CSP %q", p, csp)
			}
			if got.header.Get("X-Content-Type-Options") != "nosniff" || got.header.Get("X-Frame-Options") != "SAMEORIGIN" {
				t.Errorf("%s: headers %v", p, got.header)
			}
			low := strings.ToLower(got.body)
			for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:"} {
				if strings.Contains(low, bad) {
					t.Errorf("%s has inline %q", p, bad)
				}
			}
		}
	})
}
