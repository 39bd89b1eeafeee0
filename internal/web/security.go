package web

import (
	"context"
	"net/http"
	"regexp"
	"runtime/debug"

	"github.com/loyal-b2b/loyal/internal/access"
	pageheaders "github.com/loyal-b2b/loyal/internal/platform/headers"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// CSP allows scripts, styles, images and requests from this origin only:
// no inline script or style, no eval, nothing from elsewhere. Documents
// (a claim's PDF) may be framed by this origin's own pages.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// headers sets the security headers of every web page: the product's
// one set (platform/headers) with the console's policy.
var headers = pageheaders.PageWith(CSP)

// denyCrossOrigin answers a cross-origin form post: 403, nothing done.
func (k *Kit) denyCrossOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte("Refused: this form was sent from another site. Reload the page and send it again from here.\n"))
}

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// withRequestID gives every request an id, kept in the audit log and logs.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !requestIDRE.MatchString(id) {
			id = ids.Token(10)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(access.WithRequestID(r.Context(), id)))
	})
}

func requestID(ctx context.Context) string { return access.RequestID(ctx) }

// recover turns a panic into a logged 500 page.
func (k *Kit) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				k.Log.ErrorContext(r.Context(), "panic", "panic", v, "stack", string(debug.Stack()), "request_id", requestID(r.Context()))
				http.Error(w, "Something went wrong on our side; it has been logged (request "+requestID(r.Context())+").", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
