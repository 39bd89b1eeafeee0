package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/web"
)

// Every portal page carries the policy without inline script or style,
// and none has an inline script, style or event handler.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite), clock.System{})
	dir := s.browser().signIn(s.director)
	pages := []string{"/p/", "/p/history", "/p/rewards", "/p/claims", "/p/invite", "/p/manage/terms", "/p/manage/team",
		"/p/manage/people", "/p/manage/approvals", "/p/manage/organization"}
	anon := s.browser()
	public := []string{"/p/sign-in", "/p/acme/sign-in", "/p/acme/join/" + s.program.ID, "/p/acme/link/xyz"}
	check := func(b *browser, p string) {
		r := b.get(p)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d\n%s", p, r.status, r.body)
		}
		if csp := r.header.Get("Content-Security-Policy"); csp != web.CSP {
			t.Errorf("%s: policy %q", p, csp)
		}
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("%s has inline %q", p, bad)
			}
		}
	}
	for _, p := range pages {
		check(dir, p)
	}
	for _, p := range public {
		check(anon, p)
	}
}

func TestWebAppManifestIconsAndServiceWorker(t *testing.T) {
	s := newSite(t, storetest.Open(t, store.SQLite), clock.System{})
	b := s.browser()
	for path, ctype := range map[string]string{"/p/manifest.webmanifest": "application/manifest+json", "/p/sw.js": "text/javascript; charset=utf-8",
		"/p/static/icon.svg": "image/svg+xml", "/p/static/icons/192.png": "image/png", "/p/static/icons/512.png": "image/png"} {
		r := b.get(path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != ctype {
			t.Fatalf("%s: %d %s", path, r.status, r.header.Get("Content-Type"))
		}
	}
	if r := b.get("/p/manifest.webmanifest"); !strings.Contains(r.body, `"start_url":"/p/"`) {
		t.Fatalf("manifest: %s", r.body)
	}
}
