package httpapi

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// publicPaths need no API key: health, metrics and the API's description.
func public(path string) bool {
	switch path {
	case "/", "/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/v1/openapi.yaml", "/v1/docs", "/v1/docs.css":
		return true
	}
	return strings.HasPrefix(path, "/v1/schemas/")
}

// withAuth authenticates every non-public request by its bearer API key and
// puts the principal in the request's context. What the principal may do is
// checked by the services, which every handler goes through; a partner's
// key is first held to its short list of routes (partnerAllowed).
//
// Failed authentications are throttled per key id and per client address
// (the guard refuses further attempts, unchecked, with 429 until failures
// age out), and each tenant's requests per second.
func withAuth(log *slog.Logger, tenants *tenant.Service, g *guard, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if public(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		token, ok := bearer(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="loyal"`)
			writeProblem(w, r, newProblem(http.StatusUnauthorized, "missing_api_key",
				"send your API key in the header 'Authorization: Bearer <key>'"))
			return
		}
		addr := g.client(r)
		if g.blocked(w, r, addr, token) {
			return
		}
		p, tn, err := tenants.AuthenticateKey(r.Context(), token)
		if err != nil {
			if errs.KindOf(err) == errs.Unauthenticated {
				g.failed(addr, token)
				w.Header().Set("WWW-Authenticate", `Bearer realm="loyal", error="invalid_token"`)
			}
			writeProblem(w, r, problemFor(r.Context(), log, err))
			return
		}
		if g.overRate(w, r, p.TenantID, tn.RateLimit) {
			return
		}
		if p.PartnerID != "" && !partnerAllowed(r.Method, r.URL.Path, p.PartnerID) {
			writeProblem(w, r, newProblem(http.StatusForbidden, "partner_scope", "a partner's API key may only send events (POST /v1/events, /v1/events:batch), "+
				"redeem points (POST /v1/partners/"+p.PartnerID+"/redemptions) and read its settlement (GET /v1/partners/"+p.PartnerID+"/settlement); not "+r.Method+" "+r.URL.Path))
			return
		}
		noteCaller(r.Context(), p)
		next.ServeHTTP(w, r.WithContext(access.With(r.Context(), p)))
	})
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
