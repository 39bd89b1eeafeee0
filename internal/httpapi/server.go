// Package httpapi is the /v1 JSON API: one file per resource, handlers that
// only translate between JSON and the domain services, an OpenAPI 3.1
// document generated from the handlers (huma), RFC 9457 problems for every
// error, API-key authentication, Idempotency-Key support, request ids,
// health, readiness and Prometheus metrics.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/idempotency"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/jobs"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/headers"
	"github.com/loyal-b2b/loyal/internal/privacy"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/signup"
	"github.com/loyal-b2b/loyal/internal/simulate"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/wallet"
)

// Services are the domain services the API exposes.
type Services struct {
	Tenants     *tenant.Service
	Party       *party.Service
	Programs    *program.Service
	Audit       *audit.Service
	Idempotency *idempotency.Service
	Ledger      *ledger.Service
	Events      *events.Service
	Memberships *membership.Service
	Claims      *claim.Service
	Referrals   *referral.Service
	Promo       *promo.Service
	Rewards     *reward.Service
	Goals       *goal.Service
	Partners    *partner.Service
	Imports     *importer.Service
	Simulations *simulate.Service
	Analytics   *analytics.Service
	Segments    *segment.Service
	Coupons     *coupon.Service
	Notify      *notify.Service // messaging; nil: no /v1/webhooks
	Surveys     *survey.Service // nil: no /v1/surveys
	Cards       *card.Service
	Signup      *signup.Service
	MemberAuth  *memberauth.Service
	Jobs        *jobs.Service
	Privacy     *privacy.Service
	Wallet      *wallet.Service
}

// Options configure the API.
type Options struct {
	Version string
	Logger  *slog.Logger
	Metrics *Metrics
	// Ready reports whether the server can serve (database reachable and
	// migrated); /readyz answers 503 while it returns an error.
	Ready func(ctx context.Context) error
	// Limits are the throttles (zero: failed authentications throttled by
	// default, no tenant rate).
	Limits Limits
}

// API is the HTTP handler of the whole server.
type API struct {
	svc     Services
	ownIdem map[string]bool     // route patterns whose service keeps idempotency keys itself
	bodies  map[string]bodyRule // route patterns' request bodies, for the input check
	log     *slog.Logger
	huma    huma.API
	mux     *http.ServeMux
	handler http.Handler
}

// New builds the API.
func New(svc Services, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	installHumaErrors(opts.Logger)
	mux := http.NewServeMux()
	a := &API{svc: svc, log: opts.Logger, mux: mux, huma: humago.New(mux, humaConfig(opts.Version)),
		ownIdem: map[string]bool{}, bodies: map[string]bodyRule{}}
	a.routes()
	addExamples(a.huma.OpenAPI())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("GET /readyz", a.readyz(opts.Ready))
	mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.Handle("GET /v1/docs", headers.Page(http.HandlerFunc(a.docs)))
	mux.HandleFunc("GET /v1/docs.css", serveDocsCSS)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/v1/docs", http.StatusFound) })

	var h http.Handler = http.HandlerFunc(a.serveMux)
	h = withIdempotency(a.log, svc.Idempotency, func(r *http.Request) bool { return a.ownIdem[infoOf(r).route] }, h)
	h = withInputCheck(a.bodies, h)
	h = withJSONDefault(h)
	h = withAuth(a.log, svc.Tenants, newGuard(opts.Limits, opts.Metrics), h)
	h = withAccessLog(a.log, opts.Metrics, mux, h)
	h = withRecover(a.log, h)
	a.handler = headers.API(withRequestID(h))
	return a
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.handler.ServeHTTP(w, r) }

// OpenAPI returns the generated API description.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

func humaConfig(version string) huma.Config {
	cfg := huma.DefaultConfig("Loyal API", version)
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaNamer())
	cfg.CreateHooks = nil // no $schema links in bodies
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	cfg.OpenAPIPath = "/v1/openapi"
	cfg.DocsPath = "" // served by docs.go, without a CDN
	cfg.SchemasPath = "/v1/schemas"
	cfg.RejectUnknownQueryParameters = true
	cfg.Info.Description = apiDescription
	// The licence the project is published under (one place to change it).
	cfg.Info.License = &huma.License{Name: "Apache 2.0", Identifier: "Apache-2.0"}
	// Paths start with /v1; a server answers them at its own address.
	cfg.Servers = []*huma.Server{{URL: "http://127.0.0.1:8080", Description: "loyal serve's default address; use your server's (--public-url)"}}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API key: Authorization: Bearer lyl_<tenant>_<id>_<secret>"},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	return cfg
}

const apiDescription = `The API of Loyal, a loyalty platform for business customers and channel partners.

Authenticate with an API key: ` + "`Authorization: Bearer <key>`" + `. Keys have a scope: read, write (includes read) or admin (includes write).

Errors are RFC 9457 problem documents (application/problem+json) with a stable ` + "`code`" + ` and, for invalid input, an ` + "`errors`" + ` list naming each field and what to fix.

Lists are paginated by cursor: pass the ` + "`next_cursor`" + ` of a page as ` + "`cursor`" + ` to get the next one.

POST requests accept an ` + "`Idempotency-Key`" + ` header: a retry with the same key returns the first response; the same key with a different body is a 409.`

// serveMux routes a request, answering unknown paths and methods with a
// problem document rather than the mux's plain text.
func (a *API) serveMux(w http.ResponseWriter, r *http.Request) {
	if infoOf(r).route != "" {
		a.mux.ServeHTTP(w, r)
		return
	}
	probe := &statusWriter{ResponseWriter: discard{h: make(http.Header)}}
	a.mux.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.Header().Get("Allow"))
		writeProblem(w, r, newProblem(http.StatusMethodNotAllowed, "", r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+probe.Header().Get("Allow")))
		return
	}
	writeProblem(w, r, newProblem(http.StatusNotFound, "unknown_route", "no API route "+r.Method+" "+r.URL.Path+"; see /v1/docs"))
}

// discard is a ResponseWriter that keeps headers and drops the body.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

func (a *API) readyz(ready func(ctx context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ready != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if err := ready(ctx); err != nil {
				a.log.WarnContext(ctx, "not ready", "err", err)
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
				return
			}
		}
		writeJSON(w, 200, map[string]string{"status": "ready"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// handle registers an operation whose handler receives the caller's
// principal. Authentication already happened (withAuth); what the principal
// may do is checked by the service the handler calls.
func handle[I, O any](a *API, op huma.Operation, h func(ctx context.Context, p access.Principal, in *I) (*O, error)) {
	if op.Metadata["idempotency"] == "domain" {
		a.ownIdem[op.Method+" "+op.Path] = true
	}
	noteBody[I](a, op)
	huma.Register(a.huma, op, func(ctx context.Context, in *I) (*O, error) {
		p, ok := access.From(ctx)
		if !ok {
			return nil, errs.E(errs.Unauthenticated, "missing_api_key", "send your API key in the header 'Authorization: Bearer <key>'")
		}
		return h(ctx, p, in)
	})
}

func (a *API) routes() {
	a.tenantRoutes()
	a.organizationRoutes()
	a.memberRoutes()
	a.consentRoutes()
	a.programRoutes()
	a.versionRoutes()
	a.participantRoutes()
	a.eventRoutes()
	a.auditRoutes()
	a.ledgerRoutes()
	a.membershipRoutes()
	a.economicsRoutes()
	a.claimRoutes()
	a.referralRoutes()
	a.promoRoutes()
	a.rewardRoutes()
	a.goalRoutes()
	a.partnerRoutes()
	a.importRoutes()
	a.simulationRoutes()
	a.analyticsRoutes()
	a.segmentRoutes()
	a.couponRoutes()
	if a.svc.Notify != nil {
		a.webhookRoutes()
		a.messageRoutes()
	}
	if a.svc.Surveys != nil {
		a.surveyRoutes()
	}
	a.cardRoutes()
	a.signupRoutes()
	a.jobRoutes()
	a.privacyRoutes()
}
