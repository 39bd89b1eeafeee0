package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/demo"
	"github.com/loyal-b2b/loyal/internal/httpapi"
	"github.com/loyal-b2b/loyal/internal/platform/tracing"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type serveCmd struct {
	config.Server `embed:""`
	Demo          bool `name:"demo" env:"LOYAL_DEMO" help:"Also create (or reuse) the demo tenant and print an API key for it."`
}

func (c *serveCmd) Run(e *env) error { return serve(e, c.Server, c.Demo, 0) }

type demoCmd struct {
	config.Server `embed:""`
	Stream        time.Duration `name:"stream" env:"LOYAL_DEMO_STREAM" placeholder:"PERIOD" help:"Keep a gentle stream of invoices, returns and sales claims flowing into the demo tenant, one every PERIOD (e.g. 3s), so the live dashboard moves; 0: none."`
}

func (c *demoCmd) Run(e *env) error { return serve(e, c.Server, true, c.Stream) }

// serve runs the server until SIGINT/SIGTERM.
func serve(e *env, s config.Server, withDemo bool, stream time.Duration) error {
	if err := e.cfg.Check(); err != nil {
		return err
	}
	if err := s.Check(); err != nil {
		return err
	}
	e.log.Info("starting loyal", append([]any{"version", Version, "addr", s.Addr}, e.cfg.Describe()...)...)
	ctx, stop := signalContext()
	defer stop()
	stopTracing, err := tracing.Setup(ctx, e.cfg.OTLPEndpoint, Version)
	if err != nil {
		return fmt.Errorf("--otlp-endpoint: %w", err)
	}
	defer func() { _ = stopTracing(context.Background()) }() // flush the last spans
	a, err := e.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := app.Listen(s.Addr)
	if err != nil {
		return err
	}
	base := "http://" + displayAddr(ln.Addr().String())
	a.SetPublicURL(base)
	fmt.Fprintf(e.out, "Loyal %s is running at %s (%s)\n", Version, base, a.DB.Engine())
	fmt.Fprintf(e.out, "  Console:   %s/admin/\n", base)
	fmt.Fprintf(e.out, "  API docs:  %s/v1/docs\n  OpenAPI:   %s/v1/openapi.json\n  Health:    %s/healthz   Metrics: %s/metrics\n", base, base, base, base)
	if withDemo {
		t, err := demoKey(ctx, e, a, base)
		if err != nil {
			_ = ln.Close()
			return err
		}
		if stream > 0 {
			go demo.Stream(ctx, a, t, stream, e.log)
			fmt.Fprintf(e.out, "Demo stream: an invoice, return or claim every %s.\n", stream)
		}
	}
	if e.cfg.SMTPURL == "" {
		fmt.Fprintln(e.out, "Mail: no SMTP server (--smtp-url), so e-mail is not sent: each message is written to the log as \"mail (not sent: no SMTP configured)\".")
	}
	fmt.Fprintln(e.out, "Press Ctrl+C to stop.")
	a.EraseInactive = s.EraseInactive
	if s.JobsInterval > 0 {
		go a.RunJobs(ctx, s.JobsInterval)
	}
	if s.RelayPoll > 0 {
		go a.RunRelay(ctx, s.RelayPoll)
	}
	a.Limits = httpapi.Limits{TenantRate: s.TenantRate, AuthFailures: s.AuthFailures, TrustedProxies: s.Proxies()}
	return a.Serve(ctx, ln, a.Server(Version), s.ShutdownTimeout)
}

// demoKey seeds the demo tenant if it is missing, makes a fresh admin key
// (keys are stored hashed, so an old one cannot be shown again), prints it,
// and saves it with the demo's ids in a file a shell can source, for the
// README's curl examples.
func demoKey(ctx context.Context, e *env, a *app.App, base string) (tenant.Tenant, error) {
	res, err := demo.Ensure(ctx, a)
	if err != nil {
		return tenant.Tenant{}, fmt.Errorf("demo data: %w", err)
	}
	if res.Created {
		fmt.Fprintf(e.out, "Demo tenant %q created: %d organizations, %d members, a dealer points club with tiers, a distributor volume rebate, promo codes, a rewards catalog, a paid membership, goals, sales claims, referrals and a coalition partner.\n", res.Tenant.Name, res.Organizations, res.Members)
	} else {
		fmt.Fprintf(e.out, "Demo tenant %q already exists; reusing it.\n", res.Tenant.Name)
	}
	path := filepath.Join(e.cfg.DataDir, demoEnvFile(e.cfg))
	if err := os.MkdirAll(e.cfg.DataDir, 0o750); err != nil {
		return res.Tenant, err
	}
	vars := fmt.Sprintf("KEY=%s\nAPI=%s/v1\nPROGRAM=%s\nPOINTS=%s\nREBATE=%s\n", res.Key, base, res.ProgramID, res.PointTypeID, res.RebateID)
	if err := os.WriteFile(path, []byte(vars), 0o600); err != nil {
		return res.Tenant, fmt.Errorf("save demo key: %w", err)
	}
	fmt.Fprintf(e.out, "API key: %s\n", res.Key)
	fmt.Fprintf(e.out, "  (saved with the demo's ids in %s) Try:\n  . %s; curl -H \"Authorization: Bearer $KEY\" \"$API/organizations?limit=3\"\n", path, path)
	con, err := demo.ConsoleSignIn(ctx, a, res.Tenant)
	if err != nil {
		return res.Tenant, fmt.Errorf("demo sign-in: %w", err)
	}
	fmt.Fprintf(e.out, "Console: %s/admin/  workspace %s, e-mail %s, password %s\n", base, con.Workspace, con.Email, con.Password)
	fmt.Fprintf(e.out, "  (every demo staff user has this password, one per role:")
	for _, st := range con.Staff {
		if st.Email == con.Email {
			continue
		}
		fmt.Fprintf(e.out, " %s (%s)", st.Email, st.Role)
	}
	fmt.Fprintln(e.out, ")")
	fmt.Fprint(e.out, demo.PortalHelp(base, res.Tenant, res.ProgramID))
	return res.Tenant, nil
}

// demoEnvFile is the file the demo saves its key and ids in: demo.env for
// SQLite, demo-postgres.env for PostgreSQL, so that a demo on one engine
// does not replace the other's key, which would then fail.
func demoEnvFile(c config.Config) string {
	if _, sqlite := c.SQLiteFile(); sqlite {
		return "demo.env"
	}
	return "demo-postgres.env"
}

// displayAddr makes a listening address clickable: ":8080" → "127.0.0.1:8080".
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
