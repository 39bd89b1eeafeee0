// Package headers sets the security headers of HTTP responses in one
// place: API sets those of JSON responses (no sniffing, no caching of
// authenticated data, no framing), Page those of HTML pages (a
// Content-Security-Policy without inline scripts, no framing, no
// referrer leaks). The API server and the web UIs wrap their handlers in
// them rather than setting headers one by one.
package headers

import (
	"net/http"
	"strings"
)

// DefaultCSP allows a page only its own scripts, styles, images and
// forms: no inline script or style, no plugin, no framing by anyone, no
// <base> rewriting. A page needing more passes its own policy to PageWith.
const DefaultCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// apiCSP is the policy of a JSON response: nothing may load from it, and
// nobody may frame it.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// The values are shared, never modified: setting a header from a
// constant slice costs no allocation per response.
var (
	nosniff     = []string{"nosniff"}
	noStore     = []string{"no-store"}
	deny        = []string{"DENY"}
	sameFrame   = []string{"SAMEORIGIN"}
	sameOrigin  = []string{"same-origin"}
	apiPolicy   = []string{apiCSP}
	permissions = []string{"camera=(), microphone=(), geolocation=(), payment=(), usb=()"}
	hsts        = []string{"max-age=31536000"}
)

// API sets the headers every API response carries (no sniffing; no
// framing and no loading, by the Content-Security-Policy); a response to a
// request that carries credentials (an Authorization header or a cookie)
// is also never stored by caches.
func API(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Content-Security-Policy"] = apiPolicy // frame-ancestors: no framing
		if credentials(r) {
			h["Cache-Control"] = noStore
		}
		if r.TLS != nil {
			h["Strict-Transport-Security"] = hsts
		}
		next.ServeHTTP(w, r)
	})
}

// Page sets the headers of an HTML page, with DefaultCSP.
func Page(next http.Handler) http.Handler { return PageWith(DefaultCSP)(next) }

// PageWith sets the headers of an HTML page with the given policy. A
// policy letting the page's own origin frame it (frame-ancestors 'self':
// a document shown inline) gets the matching X-Frame-Options for older
// browsers; any other, DENY.
func PageWith(csp string) func(http.Handler) http.Handler {
	policy, frame := []string{csp}, deny
	if strings.Contains(csp, "frame-ancestors 'self'") {
		frame = sameFrame
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h["X-Content-Type-Options"] = nosniff
			h["Content-Security-Policy"] = policy
			h["X-Frame-Options"] = frame
			h["Referrer-Policy"] = sameOrigin
			h["Cross-Origin-Opener-Policy"] = sameOrigin
			h["Permissions-Policy"] = permissions
			if credentials(r) {
				h["Cache-Control"] = noStore
			}
			if r.TLS != nil {
				h["Strict-Transport-Security"] = hsts
			}
			next.ServeHTTP(w, r)
		})
	}
}

// credentials reports whether a request proves who sends it, so that its
// answer is someone's own data.
func credentials(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != ""
}
