package headers_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/headers"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("x")) })

func serve(h http.Handler, hdr ...string) http.Header {
	req := httptest.NewRequest("GET", "/", nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if len(hdr)%2 == 1 {
		req.TLS = &tls.ConnectionState{}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Header()
}

func TestAPI(t *testing.T) {
	anon := serve(headers.API(ok))
	for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Cache-Control": ""} {
		if got := anon.Get(k); got != v {
			t.Errorf("anonymous: %s = %q, want %q", k, got, v)
		}
	}
	if !strings.Contains(anon.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("CSP %q", anon.Get("Content-Security-Policy"))
	}
	for _, hdr := range [][]string{{"Authorization", "Bearer x"}, {"Cookie", "s=1"}} {
		if got := serve(headers.API(ok), hdr...).Get("Cache-Control"); got != "no-store" {
			t.Errorf("with %s: Cache-Control %q", hdr[0], got)
		}
	}
	if serve(headers.API(ok)).Get("Strict-Transport-Security") != "" || serve(headers.API(ok), "tls").Get("Strict-Transport-Security") == "" {
		t.Error("HSTS must be sent over TLS only")
	}
}

func TestPage(t *testing.T) {
	h := serve(headers.Page(ok), "Cookie", "s=1")
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for k, v := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got := serve(headers.PageWith("default-src 'none'")(ok)).Get("Content-Security-Policy"); got != "default-src 'none'" {
		t.Errorf("own policy: %q", got)
	}
}
