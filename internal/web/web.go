// Package web is what the server-rendered web areas share: the layout and
// its partials, embedded assets, the translation catalog, sessions in the
// database, CSRF protection (net/http.CrossOriginProtection), security
// headers with a Content-Security-Policy that allows no inline script or
// style, forms whose errors sit next to their fields and that a double
// submit cannot repeat, and live figures by polling. The areas — the
// operator console in web/admin, later the members' portal — hold one
// handler file per page beside its template; handlers call the same
// services as the API, never SQL. README.md here says how to add a page.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/idempotency"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web/i18n"
)

// Kit is the shared foundation an area is built with.
type Kit struct {
	Log         *slog.Logger
	Clock       clock.Clock
	Catalog     *i18n.Catalog
	Sessions    *session.Service
	Tenants     *tenant.Service
	Idempotency *idempotency.Service
	// PublicURL is the address people reach the server at (links in
	// e-mail); Secure sets the Secure flag on cookies (TLS in front).
	PublicURL string
	Secure    bool
	// Version is the release, shown in the footer.
	Version string
}

// NewKit builds the kit; the catalog is embedded and must load.
func NewKit(log *slog.Logger, clk clock.Clock, sessions *session.Service, tenants *tenant.Service, idem *idempotency.Service, publicURL, version string) (*Kit, error) {
	cat, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Kit{Log: log, Clock: clk, Catalog: cat, Sessions: sessions, Tenants: tenants, Idempotency: idem,
		PublicURL: publicURL, Secure: len(publicURL) > 8 && publicURL[:8] == "https://", Version: version}, nil
}

// StaffLink makes the address of a password-reset or invitation link
// (tenant.Links).
func (k *Kit) StaffLink(purpose, slug, secret string) string {
	return k.PublicURL + "/admin/link/" + purpose + "/" + slug + "/" + secret
}

// now is the kit's clock's time.
func (k *Kit) now() time.Time { return k.Clock.Now() }

// logError logs an unexpected error of a request.
func (k *Kit) logError(ctx context.Context, msg string, err error) {
	k.Log.ErrorContext(ctx, msg, "err", err, "request_id", requestID(ctx))
}

// Handle wraps an area's handler in what every web page needs: a request
// id, recovery from panics, security headers and CSRF protection.
func (k *Kit) Handle(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(k.denyCrossOrigin))
	return withRequestID(k.recover(headers(cop.Handler(h))))
}
