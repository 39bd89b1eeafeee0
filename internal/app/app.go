// Package app is the composition root: it opens the database, builds the
// stores, services and HTTP handler, and runs the server until it is told to
// stop. It is the only package that wires concrete stores into services.
package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/httpapi"
	"github.com/loyal-b2b/loyal/internal/idempotency"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/jobs"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/occasion"
	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/privacy"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/signup"
	"github.com/loyal-b2b/loyal/internal/simulate"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/survey"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/wallet"
	"github.com/loyal-b2b/loyal/internal/web"
	"github.com/loyal-b2b/loyal/internal/web/admin"
)

// App holds everything a command needs.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	Clock   clock.Clock
	DB      *store.DB
	Metrics *httpapi.Metrics
	// Limits are the API's throttles (serve sets them from its flags; the
	// zero value throttles failed authentications by default).
	Limits httpapi.Limits

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
	Occasions   *occasion.Service
	Partners    *partner.Service
	Imports     *importer.Service
	Simulations *simulate.Service
	Analytics   *analytics.Service
	Segments    *segment.Service
	Coupons     *coupon.Service
	Cards       *card.Service
	Wallet      *wallet.Service
	Jobs        *jobs.Service // the job schedule shared by replicas
	Privacy     *privacy.Service
	Sessions    *session.Service
	// Kit is the web areas' foundation; Mailer sends staff their reset
	// and invitation links (SMTP when --smtp-url is set, else a LogMailer).
	Kit    *web.Kit
	Mailer tenant.Mailer
	// Notify is messaging (webhooks, channels); Relay delivers its outbox.
	Notify *notify.Service
	Relay  *notify.Relay
	// Surveys are feedback; each answer is also a survey event.
	Surveys *survey.Service
	// MemberAuth signs members in to the portal by code; Texter sends its
	// SMS (the --sms-url gateway, else a LogTexter). Signup is online
	// registration.
	MemberAuth *memberauth.Service
	Texter     memberauth.Texter
	Signup     *signup.Service

	consoleOnce    sync.Once
	consoleHandler *admin.Handler
	portalOnce     sync.Once
	portalHandler  http.Handler

	// EraseInactive is the retention period of inactive members: the job
	// loop erases them daily (0: never; serve sets it from its flag).
	EraseInactive time.Duration
	// jobsEvery is the job loop's interval (0 outside it).
	jobsEvery time.Duration
}

// Open connects to the database, migrates it, and builds the services.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, clk clock.Clock) (*App, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	m := httpapi.NewMetrics()
	db, err := store.Open(ctx, store.Options{
		DSN: cfg.DSN(), ReadConns: cfg.DBConns, Logger: log,
		OnBatch: func(n int) { m.WriteBatch.Observe(float64(n)) },
	})
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx, clk.Now)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	a := New(cfg, log, clk, db, m)
	if err := a.Events.CheckWiring((*store.Tx)(nil)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("app: an ingestion hook's storage is not the store's: %w", err)
	}
	if err := a.setupWallet(cfg.Wallet); err != nil {
		_ = db.Close()
		return nil, err
	}
	return a, nil
}

// New builds the services over an open, migrated database.
func New(cfg config.Config, log *slog.Logger, clk clock.Clock, db *store.DB, m *httpapi.Metrics) *App {
	if m == nil {
		m = httpapi.NewMetrics()
	}
	tenants := &tenant.Service{Store: store.Bind[tenant.Tx](db), Clock: clk}
	// pub announces what services do to webhooks and message triggers,
	// through messaging, which is built last, over them.
	pub := &outbound.Ref{}
	led := &ledger.Service{Store: store.Bind[ledger.Tx](db), Clock: clk, Approvers: tenants, Publish: pub}
	plans, segs, goals := &membership.Plans{}, &tenantflag.Flags{}, &tenantflag.Flags{}
	evs := &events.Service{Store: store.Bind[events.Tx](db), Ledger: led, Clock: clk, Plans: plans, Segments: segment.Source{Used: segs}, Publish: pub,
		OnJoin: func(n int) { m.EventsJoined.Observe(float64(n)) }}
	partners := &partner.Service{Store: store.Bind[partner.Tx](db), Ledger: led, Keys: tenants, Clock: clk}
	refs := &referral.Service{Store: store.Bind[referral.Tx](db), Clock: clk}
	pro := &promo.Service{Store: store.Bind[promo.Tx](db), Clock: clk}
	cpn := &coupon.Service{Store: store.Bind[coupon.Tx](db), Clock: clk}
	// Hooks run in every new event's transaction, in this order.
	evs.Hooks = append(evs.Hooks, partner.Hook{}, pro, cpn, membership.Hook{Plans: plans}, refs, goal.Hook{Used: goals, Publish: pub}, analytics.Hook{})
	evs.Codes, evs.Coupons, evs.Partners = pro, cpn, partners
	evs.Own = []string{claim.Source, membership.Source, occasion.Source, survey.Source}
	an := &analytics.Service{Store: store.Bind[analytics.Tx](db), Clock: clk}
	sessions := &session.Service{Store: store.Bind[session.Tx](db), Clock: clk}
	idem := &idempotency.Service{Store: store.Bind[idempotency.Tx](db), Clock: clk}
	publicURL := cfg.PublicURL
	if publicURL == "" {
		publicURL = "http://127.0.0.1:8080"
	}
	kit, err := web.NewKit(log, clk, sessions, tenants, idem, strings.TrimRight(publicURL, "/"), "")
	if err != nil {
		panic("app: the embedded web catalog does not load: " + err.Error())
	}
	cards := &card.Service{Store: store.Bind[card.Tx](db), Clock: clk, Standings: evs, Balances: led, Coupons: cpn}
	mailer := newMailer(cfg, log)
	tenants.Mailer, tenants.Links = mailer, kit
	ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: clk, Publish: pub}
	texter := newTexter(cfg, log)
	a := &App{
		Sessions: sessions, Kit: kit, Mailer: mailer, Texter: texter,
		MemberAuth: &memberauth.Service{Store: store.Bind[memberauth.Tx](db), Clock: clk, Tenants: tenants, Mailer: mailer,
			Texter: texter, Links: kit, Limiter: throttle.New(clk)},
		Signup: &signup.Service{Store: store.Bind[signup.Tx](db), Clock: clk, Party: ps, Referrals: refs},
		Config: cfg, Log: log, Clock: clk, DB: db, Metrics: m,
		Tenants:     tenants,
		Party:       ps,
		Programs:    &program.Service{Store: store.Bind[program.Tx](db), Clock: clk, OnChange: evs.ProgramsChanged, Approvers: tenants},
		Audit:       &audit.Service{Store: store.Bind[audit.Reader](db)},
		Idempotency: idem,
		Ledger:      led,
		Events:      evs,
		Memberships: &membership.Service{Store: store.Bind[membership.Tx](db), Clock: clk, Events: evs},
		Claims:      &claim.Service{Store: store.Bind[claim.Tx](db), Events: evs, Clock: clk, Publish: pub},
		Referrals:   refs,
		Promo:       pro,
		Rewards:     &reward.Service{Store: store.Bind[reward.Tx](db), Ledger: led, Clock: clk, Tiers: programTiers{evs}, Approvers: tenants, Publish: pub},
		Goals:       &goal.Service{Store: store.Bind[goal.Tx](db), Clock: clk, Used: goals},
		Occasions:   &occasion.Service{Store: store.Bind[occasion.Tx](db), Events: evs},
		Partners:    partners,
		Imports:     &importer.Service{Store: store.Bind[importer.Tx](db), Clock: clk, Events: evs},
		Simulations: &simulate.Service{Store: store.Bind[simulate.Tx](db), Clock: clk},
		Analytics:   an,
		Segments:    &segment.Service{Store: store.Bind[segment.Tx](db), Clock: clk, Analytics: an, Used: segs},
		Coupons:     cpn,
		Cards:       cards,
		Wallet: &wallet.Service{Store: store.Bind[wallet.Tx](db), Cards: cards, Clock: clk, Log: log, PublicURL: strings.TrimRight(publicURL, "/"),
			LinkKey: linkKey("", nil)},
		Privacy: &privacy.Service{Store: store.Bind[privacy.Tx](db), Clock: clk},
		Jobs:    &jobs.Service{Store: store.Bind[jobs.Tx](db), Clock: clk, Replica: replicaName()},
	}
	a.Notify = a.newNotify(kit.PublicURL)
	a.Surveys = &survey.Service{Store: store.Bind[survey.Tx](db), Clock: clk, Events: evs}
	a.Notify.Facts = personFacts{a}
	pub.Set(a.Notify)
	evs.Hooks = append(evs.Hooks, a.Notify) // webhooks: event.processed, points.earned, tier.changed
	a.Relay = a.newRelay()
	return a
}

// Close removes the console's kept import uploads and closes the
// database, waiting for queued writes.
func (a *App) Close() error {
	a.consoleOnce.Do(func() {}) // the console, if built, is seen whole
	if a.consoleHandler != nil {
		if err := a.consoleHandler.Close(); err != nil {
			a.Log.Warn("console uploads not removed", "err", err)
		}
	}
	return a.DB.Close()
}

// Handler returns the HTTP handler of the server.
func (a *App) Handler(version string) *httpapi.API {
	return httpapi.New(httpapi.Services{
		Tenants: a.Tenants, Party: a.Party, Programs: a.Programs, Audit: a.Audit, Idempotency: a.Idempotency, Ledger: a.Ledger,
		Events: a.Events, Memberships: a.Memberships, Claims: a.Claims, Referrals: a.Referrals, Promo: a.Promo, Rewards: a.Rewards, Goals: a.Goals,
		Partners: a.Partners, Imports: a.Imports, Simulations: a.Simulations,
		Analytics: a.Analytics, Segments: a.Segments, Coupons: a.Coupons, Cards: a.Cards, Wallet: a.Wallet, Signup: a.Signup, MemberAuth: a.MemberAuth, Jobs: a.Jobs, Privacy: a.Privacy, Notify: a.Notify,
		Surveys: a.Surveys,
	}, httpapi.Options{Version: version, Logger: a.Log, Metrics: a.Metrics, Ready: a.ready, Limits: a.limits()})
}

// limits are the API's throttles, on the app's clock unless set.
func (a *App) limits() httpapi.Limits {
	l := a.Limits
	if l.Clock == nil {
		l.Clock = a.Clock
	}
	return l
}

// ready reports whether the database answers and its schema is current.
func (a *App) ready(ctx context.Context) error {
	v, known, err := a.DB.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v < known {
		return fmt.Errorf("schema at version %d of %d", v, known)
	}
	return nil
}

// Listen opens the server's socket, with a clear message when the address
// is taken.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		var se *os.SyscallError
		if errors.As(err, &se) && se.Syscall == "bind" {
			return nil, fmt.Errorf("cannot listen on %s: the address is in use or not allowed; choose another with --addr or LOYAL_ADDR (e.g. 127.0.0.1:8081)", addr)
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves HTTP on ln until ctx is done, then stops accepting, lets
// requests in flight finish (up to grace), and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
