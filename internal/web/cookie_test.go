package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Under TLS (an https public URL) the session cookie is Secure and takes
// the __Host- prefix; always HttpOnly, SameSite=Lax, for the whole site.
func TestSessionCookieFlags(t *testing.T) {
	for _, tc := range []struct {
		url, name string
		secure    bool
	}{
		{"https://loyalty.example.com", "__Host-loyal_staff", true},
		{"http://127.0.0.1:8080", "loyal_staff", false},
	} {
		k := &Kit{PublicURL: tc.url, Secure: len(tc.url) > 8 && tc.url[:8] == "https://"}
		rec := httptest.NewRecorder()
		k.setCookie(rec, httptest.NewRequest("POST", "/admin/sign-in", nil), k.sessionCookie(), "tenant.secret", 0)
		cs := rec.Result().Cookies()
		if len(cs) != 1 {
			t.Fatalf("%s: cookies %v", tc.url, cs)
		}
		c := cs[0]
		if c.Name != tc.name || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
			t.Errorf("%s: cookie %+v", tc.url, c)
		}
	}
}
